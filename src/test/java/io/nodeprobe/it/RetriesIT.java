package io.nodeprobe.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nodeprobe.localcloud.Fault;
import io.nodeprobe.localcloud.FaultProxy;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Retries that help and never hurt, seen on the wire through a {@link FaultProxy} in front of RGW: what can succeed
 * on retry is retried (with its Retry-After) and then passes; a throttle whose Retry-After does not fit the
 * deadline ends the call at once with the throttle, not a timeout; a definite denial is sent once; a call whose
 * effect must not happen twice (CreateMultipartUpload) is not repeated after a broken connection.
 */
class RetriesIT extends CloudScenario {

    private final String prefix = "retries-" + System.nanoTime();

    private NodeprobeRun check(FaultProxy proxy, String role, String timeout) {
        return node(role).env("AWS_ENDPOINT_URL_S3", proxy.endpoint()).run("check", "--bucket", cloud.bucket(),
                "--prefix", prefix, "--timeout", timeout, "--format", "json");
    }

    /** What only s3.list's own ListObjectsV2 carries: max-keys=1 and the prefix, nothing under it. */
    private String listMarker() {
        return "max-keys=1&prefix=" + prefix + "%2F HTTP/1.1";
    }

    /** The ListObjectsV2 requests of s3.list itself (not the owner test's, nor the probe folder's listings). */
    private long listings(FaultProxy proxy) {
        return proxy.requestLines().stream().filter(l -> l.contains(listMarker())).count();
    }

    private FaultProxy rgw() throws Exception {
        return FaultProxy.start(URI.create(cloud.rgwEndpoint()), FaultProxy.Flavour.S3);
    }

    @Test
    void twoThrottles_areWaitedOut_asRetryAfterSays_andTheCheckPasses() throws Exception {
        try (FaultProxy proxy = rgw()) {
            proxy.retryAfter("1").set(Fault.SLOW_DOWN_503, listMarker(), 2);
            NodeprobeRun run = check(proxy, "np-full", "10s");
            assertEquals(0, run.exitCode(), run::toString);
            assertEquals("pass", run.report().check("s3.list").status(), run::toString);
            assertEquals(2, proxy.faulted(), "both throttles were met");
            assertEquals(3, listings(proxy), "two throttled tries and the one that passed: " + proxy.requestLines());
            long ms = Long.parseLong(run.report().check("s3.list").node().field("durationMs").orElseThrow()
                    .asNumber());
            assertTrue(ms >= 2_000, "each Retry-After: 1 was waited: s3.list took " + ms + " ms");
        }
    }

    @Test
    void aRetryAfterBeyondTheDeadline_endsTheCallAtOnce_withTheThrottle() throws Exception {
        try (FaultProxy proxy = rgw()) {
            proxy.retryAfter("30").set(Fault.SLOW_DOWN_503, listMarker());
            NodeprobeRun run = check(proxy, "np-full", "5s");
            assertEquals(3, run.exitCode(), run::toString);
            ReportJson.Check list = run.report().check("s3.list");
            assertEquals("unknown", list.status(), list::toString);
            assertEquals("SlowDown", list.errorCode(), list::toString);
            assertTrue(list.error("message").contains("the service asked to retry after 30000 ms, which does not fit"),
                    list::toString);
            assertEquals(1, listings(proxy), "no second try that could not be waited for");
        }
    }

    @Test
    void serverErrors_areTriedThreeTimes_thenReported() throws Exception {
        try (FaultProxy proxy = rgw()) {
            proxy.set(Fault.ERROR_500, listMarker());
            NodeprobeRun run = check(proxy, "np-full", "5s");
            assertEquals(3, run.exitCode(), run::toString);
            ReportJson.Check list = run.report().check("s3.list");
            assertEquals("InternalError", list.errorCode(), list::toString);
            assertTrue(list.error("message").endsWith("after 3 attempts"), list::toString);
            assertEquals(3, listings(proxy));
        }
    }

    @Test
    void aDefiniteDenial_isSentOnce() throws Exception {
        try (FaultProxy proxy = rgw()) {
            NodeprobeRun run = check(proxy, "np-no-put", "5s");
            assertEquals(1, run.exitCode(), run::toString);
            assertEquals("AccessDenied", run.report().check("s3.put").errorCode());
            List<String> puts = proxy.requestLines().stream().filter(l -> l.startsWith("PUT ")).toList();
            assertEquals(1, puts.size(), "the denied PutObject was sent once: " + puts);
        }
    }

    @Test
    void createMultipartUpload_isNotRepeated_afterABrokenConnection() throws Exception {
        try (FaultProxy proxy = rgw()) {
            proxy.set(Fault.RESET_MID_BODY, "?uploads HTTP/1.1");
            NodeprobeRun run = check(proxy, "np-full", "5s");
            assertEquals(3, run.exitCode(), run::toString);
            ReportJson.Check mp = run.report().check("s3.multipart");
            assertEquals("ConnectionReset", mp.errorCode(), mp::toString);
            assertTrue(mp.text("detail").startsWith("S3 did not answer CreateMultipartUpload; ended the upload of s3://"
                    + cloud.bucket() + "/"), "the upload it may have started was found and ended: " + mp);
            assertEquals(1, proxy.faulted(), "CreateMultipartUpload was sent once");
        }
    }
}
