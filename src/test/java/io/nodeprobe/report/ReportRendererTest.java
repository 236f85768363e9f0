package io.nodeprobe.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

class ReportRendererTest {

    static Stream<Arguments> reports() {
        return Stream.of(
                Arguments.of("put-denied", (Supplier<Report>) Fixtures::putDenied, Status.FAIL, 1),
                Arguments.of("warn", (Supplier<Report>) Fixtures::shadowedWarn, Status.WARN, 0),
                Arguments.of("unknown", (Supplier<Report>) Fixtures::s3Unreachable, Status.UNKNOWN, 3),
                Arguments.of("identity-only", (Supplier<Report>) Fixtures::identityOnly, Status.PASS, 0),
                Arguments.of("aborted", (Supplier<Report>) Fixtures::aborted, Status.UNKNOWN, 3));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reports")
    void report_statusAndExitCode_areTheReportsOwn(String name, Supplier<Report> report, Status status, int exit) {
        assertEquals(status, report.get().status());
        assertEquals(exit, report.get().exitCode());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reports")
    void json_matchesGolden(String name, Supplier<Report> report, Status status, int exit) {
        Fixtures.assertGolden("report-" + name + ".json", new JsonReportRenderer().render(report.get()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reports")
    void text_matchesGolden(String name, Supplier<Report> report, Status status, int exit) {
        Fixtures.assertGolden("report-" + name + ".txt", new TextReportRenderer(false).render(report.get()));
    }

    @Test
    void json_parsesAndCarriesDocumentedFields() {
        JsonNode doc = JsonNode.parser().parse(new JsonReportRenderer().render(Fixtures.putDenied()));
        for (String f : new String[] {"status", "node", "identity", "target", "checks", "startedAt", "durationMs"}) {
            assertTrue(doc.field(f).isPresent(), f);
        }
        assertFalse(doc.field("failure").isPresent(), "only a run that stopped early has a failure");
        JsonNode put = doc.field("checks").orElseThrow().asArray().get(5);
        assertEquals("AccessDenied", put.field("error").orElseThrow().field("code").orElseThrow().asString());
    }

    @Test
    void json_abortedRun_namesItsCause() {
        JsonNode doc = JsonNode.parser().parse(new JsonReportRenderer().render(Fixtures.aborted()));
        assertTrue(doc.field("failure").orElseThrow().asString().startsWith("ConfigException: AWS_CA_BUNDLE"));
        assertEquals("unknown", doc.field("status").orElseThrow().asString(), "a run that stopped early never passes");
    }

    @Test
    void text_colourOnlyWhenAsked() {
        assertFalse(new TextReportRenderer(false).render(Fixtures.putDenied()).contains("\u001b["));
        assertTrue(new TextReportRenderer(true).render(Fixtures.putDenied()).contains("\u001b[31mfail"));
    }
}
