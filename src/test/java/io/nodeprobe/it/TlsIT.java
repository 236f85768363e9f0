package io.nodeprobe.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** HTTPS to a local S3 endpoint with a self-signed certificate, trusted (or not) through AWS_CA_BUNDLE. */
class TlsIT extends CloudScenario {

    @Test
    void check_overHttpsWithTrustedBundle_passes() throws Exception {
        try (TlsProxy tls = new TlsProxy(URI.create(cloud.rgwEndpoint()))) {
            NodeprobeRun run = node("np-full").env("AWS_ENDPOINT_URL_S3", tls.endpoint())
                    .env("AWS_CA_BUNDLE", tls.certificatePem().toString())
                    .run("check", "--bucket", cloud.bucket(), "--prefix", "tls", "--format", "json");
            assertEquals(0, run.exitCode(), run::toString);
            assertEquals(CheckNames.ALL, run.report().withStatus("pass"));
        }
    }

    @Test
    void check_overHttpsWithoutTrust_failsWithTlsDiagnosis() throws Exception {
        try (TlsProxy tls = new TlsProxy(URI.create(cloud.rgwEndpoint()))) {
            NodeprobeRun run = node("np-full").env("AWS_ENDPOINT_URL_S3", tls.endpoint())
                    .run("check", "--bucket", cloud.bucket(), "--read-only", "--format", "json");
            assertEquals(1, run.exitCode(), run::toString);
            ReportJson.Check list = run.report().check("s3.list");
            assertEquals("TLS", list.errorCode(), list::toString);
            assertTrue(list.text("remediation").contains("AWS_CA_BUNDLE"), list::toString);
        }
    }

    @Test
    void check_caBundleThatIsNotPem_isAUsageError() throws Exception {
        java.nio.file.Path junk = java.nio.file.Files.createTempFile("junk", ".pem");
        java.nio.file.Files.writeString(junk, "not a certificate");
        NodeprobeRun run = node("np-full").env("AWS_CA_BUNDLE", junk.toString())
                .run("check", "--bucket", cloud.bucket());
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.stderr().contains("AWS_CA_BUNDLE"), run::toString);
    }
}
