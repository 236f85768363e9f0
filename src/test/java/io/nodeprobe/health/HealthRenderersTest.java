package io.nodeprobe.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nodeprobe.report.Fixtures;
import io.nodeprobe.report.Status;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

class HealthRenderersTest {
    private static final HealthSnapshot PUT_DENIED = new HealthSnapshot(Fixtures.putDenied(),
            Map.of(Status.PASS, 3L, Status.FAIL, 1L), "0.1.0", "native");
    private static final HealthSnapshot STARTING = new HealthSnapshot(null, Map.of(), "0.1.0", "jvm");

    @Test
    void prometheus_matchesGolden() {
        assertEquals(Fixtures.golden("metrics.txt"), new PrometheusRenderer().render(PUT_DENIED));
    }

    @Test
    void prometheus_everySampleLineParses() {
        for (String line : new PrometheusRenderer().render(PUT_DENIED).lines().toList()) {
            assertTrue(line.startsWith("# HELP ") || line.startsWith("# TYPE ")
                    || line.matches("[a-z_]+(\\{[a-z_]+=\"[^\"]*\"(,[a-z_]+=\"[^\"]*\")*})? -?\\d+(\\.\\d+)?"), line);
        }
    }

    @Test
    void healthJson_matchesGolden() {
        assertEquals(Fixtures.golden("health.json"), new HealthJsonRenderer().render(PUT_DENIED));
    }

    @Test
    void healthJson_carriesTheSameChecksAsTheReport() {
        JsonNode doc = JsonNode.parser().parse(new HealthJsonRenderer().render(PUT_DENIED));
        assertEquals("DOWN", doc.field("status").orElseThrow().asString());
        List<String> names = doc.field("checks").orElseThrow().asArray().stream()
                .map(c -> c.field("name").orElseThrow().asString()).toList();
        assertEquals(List.of("nodeprobe", "imds.token", "imds.instance-profile", "imds.credentials",
                "sts.caller-identity", "s3.list", "s3.put", "s3.get", "s3.delete"), names);
    }

    @Test
    void healthJson_starting_isDown() {
        assertFalse(STARTING.healthy());
        assertTrue(new HealthJsonRenderer().render(STARTING).contains("\"state\": \"starting\""));
    }

    @Test
    void html_showsEachCheckWithItsColourAndEscapes() {
        String html = new HtmlRenderer().render(PUT_DENIED);
        assertTrue(html.contains("<tr class=\"fail\"><td>s3.put</td>"), html);
        assertTrue(html.contains("{&quot;Sid&quot;:&quot;NodeprobePutObject&quot;}"), html);
        assertFalse(html.contains("http://") && html.contains("<script"), "no scripts, no external assets");
        assertTrue(new HtmlRenderer().render(STARTING).contains("starting"));
    }
}
