package io.nodeprobe.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nodeprobe.localcloud.RecordedS3;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which policy said no, as S3 says it since 2024 (RGW only ever answers a bare AccessDenied): GetObject refused with
 * each enhanced message of the reference notes (section 1), verbatim, through the real SDK. The report carries
 * error.policyType and error.explicitDeny, and the remediation follows them: an Allow only where an Allow is
 * missing, the organization's administrator for SCPs and RCPs, the full list when S3 did not say.
 */
class DenialIT extends CloudScenario {
    private static final String USER = "User: arn:aws:iam::123456789012:user/MaryMajor is not authorized to perform: ";
    private static final String ON = "s3:GetObject on resource: \"arn:aws:s3:::amzn-s3-demo-bucket1/object-name\" ";

    @ParameterizedTest(name = "{1} explicit={2}")
    @CsvSource(delimiter = '|', value = {
            "s3:GetObject because no identity-based policy allows the s3:GetObject action|identity|false"
                    + "|add this statement to the policy of role np-full:",
            ON + "with an explicit deny in an identity-based policy|identity|true"
                    + "|aws iam list-attached-role-policies --role-name np-full",
            "s3:GetObject because no resource-based policy allows the s3:GetObject action|resource|false"
                    + "|add this statement to the bucket policy of",
            "s3:GetObject because no service control policy allows the s3:GetObject action|scp|false"
                    + "|ask the organization's administrator to allow",
            "s3:GetObject with an explicit deny in a service control policy|scp|true"
                    + "|ask the organization's administrator to exempt",
            "s3:GetObject due to an explicit deny in a Service Control Policy|scp|true"
                    + "|--filter SERVICE_CONTROL_POLICY",
            ON + "with an explicit deny in a resource control policy|rcp|true|--filter RESOURCE_CONTROL_POLICY",
            "s3:GetObject because no VPC endpoint policy allows the s3:GetObject action|vpc-endpoint|false"
                    + "|add this statement to the policy of the S3 VPC endpoint",
            ON + "with an explicit deny in a VPC endpoint policy|vpc-endpoint|true"
                    + "|narrow the Deny in the policy of the S3 VPC endpoint",
            "s3:GetObject with an explicit deny in a VPC endpoint policy transitively through a service control policy"
                    + "|vpc-endpoint|true|aws ec2 describe-vpc-endpoints",
            ON + "because no permissions boundary allows the s3:GetObject action|permissions-boundary|false"
                    + "|add this statement to the boundary policy",
            "s3:GetObject with an explicit deny in a permissions boundary|permissions-boundary|true"
                    + "|narrow the Deny in the permissions boundary of role np-full",
            "s3:GetObject because no session policy allows the s3:GetObject action|session|false"
                    + "|add this statement to it where the session is created",
            ON + "with an explicit deny in a session policy|session|true|narrow that Deny where the session is created",
            "s3:GetObject with an explicit deny in a sessions policy|session|true"
                    + "|narrow that Deny where the session is created",
    })
    void eachEnhancedMessage_namesItsPolicy_andTailorsTheFix(String tail, String type, boolean explicit,
                                                            String fix) {
        try (RecordedS3 s3 = refusingGet(USER + tail)) {
            ReportJson.Check get = deniedGet(s3.endpoint(), null);
            assertEquals(type, get.error("policyType"), get::toString);
            assertEquals(String.valueOf(explicit), get.error("explicitDeny"), get::toString);
            assertTrue(get.text("remediation").contains(fix), get::toString);
            if (explicit) {
                assertFalse(get.text("remediation").contains("\"Effect\":\"Allow\""), get::toString);
                assertTrue(get.diagnosis().orElseThrow().contains("with an explicit deny in"), get::toString);
            }
        }
    }

    @Test
    void anExplicitResourceDeny_overHttps_pointsAtTheBucketPolicy_andBlockPublicAccess() throws Exception {
        try (RecordedS3 s3 = refusingGet(USER + ON + "with an explicit deny in a resource-based policy");
                TlsProxy tls = new TlsProxy(URI.create(s3.endpoint()))) {
            ReportJson.Check get = deniedGet(tls.endpoint(), tls.certificatePem().toString());
            assertEquals("resource", get.error("policyType"), get::toString);
            assertEquals("true", get.error("explicitDeny"));
            String fix = get.text("remediation");
            assertTrue(fix.startsWith("an Allow cannot override a Deny: find the Deny on s3:GetObject"), fix);
            assertTrue(fix.contains("aws s3api get-bucket-policy --bucket " + cloud.bucket()), fix);
            assertTrue(fix.contains("RestrictPublicBuckets"), fix);
            assertFalse(fix.contains("\"Effect\":\"Allow\""), fix);
            assertFalse(get.diagnosis().orElseThrow().contains("plain HTTP"), get::toString);
        }
    }

    @Test
    void anExplicitResourceDeny_overPlainHttp_isTheSecureTransportDeny() {
        try (RecordedS3 s3 = refusingGet(USER + ON + "with an explicit deny in a resource-based policy")) {
            ReportJson.Check get = deniedGet(s3.endpoint(), null);
            assertTrue(get.diagnosis().orElseThrow().contains("nodeprobe spoke plain HTTP to " + s3.endpoint()
                    + ": Anyscale's bucket policy denies every request without TLS (aws:SecureTransport false)"),
                    get::toString);
            assertTrue(get.text("remediation").startsWith("use an https:// endpoint"), get::toString);
        }
    }

    @Test
    void anImplicitResourceDenial_notesBlockPublicAccess() {
        try (RecordedS3 s3 = refusingGet(USER + "s3:GetObject because no resource-based policy allows the "
                + "s3:GetObject action")) {
            ReportJson.Check get = deniedGet(s3.endpoint(), null);
            assertTrue(get.text("remediation").contains("\"Principal\":{\"AWS\":\"arn:aws:iam::" + LocalCloud.ACCOUNT
                    + ":role/np-full\"}"), get::toString);
            assertTrue(get.text("remediation").contains("aws s3api get-public-access-block --bucket "
                    + cloud.bucket()), get::toString);
        }
    }

    @Test
    void aBareAccessDenied_keepsTheFullList_andNamesNoPolicy() {
        try (RecordedS3 s3 = refusingGet("Access Denied")) {
            ReportJson.Check get = deniedGet(s3.endpoint(), null);
            assertNull(get.error("policyType"), get::toString);
            assertNull(get.error("explicitDeny"), get::toString);
            assertTrue(get.text("remediation").contains("also check for an explicit Deny (bucket policy, SCP, "
                    + "permissions boundary, VPC endpoint policy)"), get::toString);
        }
    }

    private static RecordedS3 refusingGet(String message) {
        return RecordedS3.start().refuse(RecordedS3.Call.GET, new RecordedS3.Refusal(403, "AccessDenied", message));
    }

    /** A full check through {@code endpoint}: only s3.get may fail, with exit 1. */
    private ReportJson.Check deniedGet(String endpoint, String caBundle) {
        Nodeprobe n = node("np-full").env("AWS_ENDPOINT_URL_S3", endpoint).env("NODEPROBE_S3_PATH_STYLE", "true");
        if (caBundle != null) {
            n.env("AWS_CA_BUNDLE", caBundle);
        }
        NodeprobeRun run = n.run("check", "--bucket", cloud.bucket(), "--format", "json");
        assertEquals(1, run.exitCode(), run::toString);
        ReportJson r = run.report();
        assertEquals(List.of("s3.get"), r.withStatus("fail"), run::toString);
        assertTrue(run.stderr().isBlank() || !run.stderr().contains("Exception"), run::toString);
        return r.check("s3.get");
    }
}
