package io.nodeprobe.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nodeprobe.report.Fixtures;
import io.nodeprobe.report.Status;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

class HealthRenderersTest {
    private static final HealthSnapshot PUT_DENIED = new HealthSnapshot(Fixtures.putDenied(),
            Map.of(Status.PASS, 3L, Status.FAIL, 1L), "0.1.0", "native", false);
    private static final HealthSnapshot STARTING = new HealthSnapshot(null, Map.of(), "0.1.0", "jvm", false);
    private static final HealthSnapshot WARN = new HealthSnapshot(Fixtures.shadowedWarn(), Map.of(Status.WARN, 1L),
            "0.1.0", "native", false);
    private static final HealthSnapshot ABORTED = new HealthSnapshot(Fixtures.aborted(),
            Map.of(Status.PASS, 2L, Status.UNKNOWN, 1L), "0.1.0", "native", false);
    private static final HealthSnapshot STALE = new HealthSnapshot(Fixtures.shadowedWarn(), Map.of(Status.WARN, 9L),
            "0.1.0", "native", true);

    static Stream<Arguments> snapshots() {
        return Stream.of(Arguments.of("put-denied", PUT_DENIED), Arguments.of("starting", STARTING),
                Arguments.of("warn", WARN), Arguments.of("aborted", ABORTED), Arguments.of("stale", STALE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("snapshots")
    void prometheus_matchesGolden(String name, HealthSnapshot s) {
        Fixtures.assertGolden("metrics-" + name + ".txt", new PrometheusRenderer().render(s));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("snapshots")
    void healthJson_matchesGolden(String name, HealthSnapshot s) {
        Fixtures.assertGolden("health-" + name + ".json", new HealthJsonRenderer().render(s));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("snapshots")
    void prometheus_everySampleLineParses(String name, HealthSnapshot s) {
        for (String line : new PrometheusRenderer().render(s).lines().toList()) {
            assertTrue(line.startsWith("# HELP ") || line.startsWith("# TYPE ")
                    || line.matches("[a-z_]+(\\{[a-z_]+=\"[^\"]*\"(,[a-z_]+=\"[^\"]*\")*})? -?\\d+(\\.\\d+)?"), line);
        }
    }

    @Test
    void prometheus_labelValues_areEscaped() {
        HealthSnapshot odd = new HealthSnapshot(null, Map.of(), "1.0-\"rc\"\\build\nline", "native", false);
        String text = new PrometheusRenderer().render(odd);
        assertTrue(text.contains("nodeprobe_build_info{version=\"1.0-\\\"rc\\\"\\\\build\\nline\",mode=\"native\"} 1\n"),
                text);
        assertEquals(1, text.lines().filter(l -> l.startsWith("nodeprobe_build_info")).count(), "one line, not two");
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
    void healthJson_states_followTheSnapshot() {
        assertEquals("starting", state(STARTING));
        assertEquals("ran", state(PUT_DENIED));
        assertEquals("unknown", state(ABORTED));
        assertEquals("stale", state(STALE));
        assertFalse(STARTING.healthy());
        assertFalse(STALE.healthy(), "a stale pass is not a pass");
        assertTrue(WARN.healthy());
    }

    private static String state(HealthSnapshot s) {
        return JsonNode.parser().parse(new HealthJsonRenderer().render(s)).field("checks").orElseThrow().asArray()
                .get(0).field("data").orElseThrow().field("state").orElseThrow().asString();
    }

    @Test
    void html_showsEachCheckWithItsColourAndEscapes() {
        String html = new HtmlRenderer().render(PUT_DENIED);
        assertTrue(html.contains("<tr class=\"fail\"><td>s3.put</td>"), html);
        assertTrue(html.contains("{&quot;Sid&quot;:&quot;NodeprobePutObject&quot;}"), html);
        assertTrue(new HtmlRenderer().render(STARTING).contains("starting"));
        assertTrue(new HtmlRenderer().render(STALE).contains("stale"));
        assertTrue(new HtmlRenderer().render(ABORTED).contains("the run stopped early: ConfigException"));
    }

    /** Elements and attributes that can load or run something; the page must have none of them. */
    private static final Pattern ACTIVE_TAG = Pattern.compile("(?i)^<(script|iframe|object|embed|link|img|form|base"
            + "|svg|video|audio)\\b|\\son[a-z]+\\s*=|\\ssrc\\s*=|javascript:|url\\(|@import");
    private static final Pattern TAG = Pattern.compile("<[^>]*>");

    /** The first real tag (escaped text never is one) that could load or run something, else null. */
    private static String active(String html) {
        var tags = TAG.matcher(html);
        while (tags.find()) {
            if (ACTIVE_TAG.matcher(tags.group()).find()) {
                return tags.group();
            }
        }
        int style = html.indexOf("<style>");
        String css = style < 0 ? "" : html.substring(style, html.indexOf("</style>", style));
        return css.contains("url(") || css.contains("@import") ? css : null;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("snapshots")
    void html_hasNoScriptNoExternalLoad(String name, HealthSnapshot s) {
        String html = new HtmlRenderer().render(s);
        assertEquals(null, active(html), html);
        assertTrue(html.lines().filter(l -> l.contains("href=")).allMatch(l -> !l.contains("href=\"http")),
                "links stay on this server");
    }

    @Test
    void html_escapesWhatTheServerSaid() {
        HealthSnapshot hostile = new HealthSnapshot(io.nodeprobe.report.Report.aborted(
                new io.nodeprobe.report.NodeInfo("<script>alert(1)</script>", null, null),
                new io.nodeprobe.report.IdentityInfo(null, null, "\"><img src=x onerror=alert(1)>", null, null,
                        null, null), null, List.of(), java.time.Instant.EPOCH, 0, "<script>x</script>"),
                Map.of(), "0.1.0", "jvm", false);
        String html = new HtmlRenderer().render(hostile);
        assertEquals(null, active(html), html);
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), html);
    }
}
