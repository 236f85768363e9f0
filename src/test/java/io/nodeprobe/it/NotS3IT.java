package io.nodeprobe.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Something other than S3 at the S3 endpoint: a captive portal or a misconfigured proxy answering every request
 * with its own page. Before, its 200 made s3.list and s3.put pass; now no check passes on such an answer, each says
 * what answered, and the run is unknown (exit 3): S3 was never heard.
 */
class NotS3IT extends CloudScenario {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "200,text/html; charset=utf-8,<html><body>Please log in to the guest network</body></html>,HTML page",
            "403,text/html,<html><body>Blocked by policy</body></html>,HTML page",
            "200,application/xml,<ListBucketResult/>,without x-amz-request-id",
            "200,text/plain,garbage,without x-amz-request-id",
    })
    void anEndpointThatIsNotS3_neverPasses_andSaysWhatAnswered(int status, String type, String body, String why)
            throws Exception {
        HttpServer portal = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        portal.createContext("/", x -> {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            x.getRequestBody().readAllBytes();
            x.getResponseHeaders().set("Content-Type", type);
            x.sendResponseHeaders(status, "HEAD".equals(x.getRequestMethod()) ? -1 : b.length);
            if (!"HEAD".equals(x.getRequestMethod())) {
                x.getResponseBody().write(b);
            }
            x.close();
        });
        portal.start();
        try {
            String endpoint = "http://127.0.0.1:" + portal.getAddress().getPort();
            NodeprobeRun run = node("np-full").env("AWS_ENDPOINT_URL_S3", endpoint)
                    .env("NODEPROBE_S3_PATH_STYLE", "true")
                    .run("check", "--bucket", cloud.bucket(), "--format", "json");
            assertEquals(3, run.exitCode(), run::toString);
            ReportJson r = run.report();
            for (String name : List.of("s3.list", "s3.put", "s3.location")) {
                ReportJson.Check c = r.check(name);
                assertEquals("unknown", c.status(), c::toString);
                assertEquals("NotS3", c.errorCode(), c::toString);
                assertTrue(c.diagnosis().orElseThrow().startsWith("the endpoint did not answer as S3: HTTP " + status),
                        c::toString);
                assertTrue(c.diagnosis().orElseThrow().contains(why), c::toString);
            }
            assertFalse(r.withStatus("pass").stream().anyMatch(n -> n.startsWith("s3.")), run::toString);
            assertFalse(run.stdout().contains("Exception") || run.stderr().contains("Exception"), run::toString);
        } finally {
            portal.stop(0);
        }
    }
}
