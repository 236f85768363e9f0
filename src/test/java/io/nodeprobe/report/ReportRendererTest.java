package io.nodeprobe.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

class ReportRendererTest {

    @Test
    void report_putDenied_statusAndExitCode() {
        Report r = Fixtures.putDenied();
        assertEquals(Status.FAIL, r.status());
        assertEquals(1, r.exitCode());
    }

    @Test
    void json_matchesGolden() {
        assertEquals(Fixtures.golden("report.json"), new JsonReportRenderer().render(Fixtures.putDenied()));
    }

    @Test
    void json_parsesAndCarriesDocumentedFields() {
        JsonNode doc = JsonNode.parser().parse(new JsonReportRenderer().render(Fixtures.putDenied()));
        for (String f : new String[] {"status", "node", "identity", "target", "checks", "startedAt", "durationMs"}) {
            assertTrue(doc.field(f).isPresent(), f);
        }
        JsonNode put = doc.field("checks").orElseThrow().asArray().get(5);
        assertEquals("AccessDenied", put.field("error").orElseThrow().field("code").orElseThrow().asString());
    }

    @Test
    void text_matchesGolden() {
        assertEquals(Fixtures.golden("report.txt"), new TextReportRenderer(false).render(Fixtures.putDenied()));
    }

    @Test
    void text_colourOnlyWhenAsked() {
        assertFalse(new TextReportRenderer(false).render(Fixtures.putDenied()).contains("\u001b["));
        assertTrue(new TextReportRenderer(true).render(Fixtures.putDenied()).contains("\u001b[31mfail"));
    }
}
