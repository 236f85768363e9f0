package io.nodeprobe.diagnosis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nodeprobe.report.ErrorDetail;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Every access-denied variant of the reference notes (section 1), verbatim, and what each remediation offers. */
class DenialReasonTest {
    private static final String USER = "User: arn:aws:iam::123456789012:user/MaryMajor is not authorized to perform: ";
    private static final String ON = "s3:GetObject on resource: \"arn:aws:s3:::amzn-s3-demo-bucket1/object-name\" ";
    private static final BucketArn BUCKET = new BucketArn("aws", "amzn-s3-demo-bucket1");
    private static final String ROLE_ARN = "arn:aws:iam::123456789012:role/np-role";

    @ParameterizedTest(name = "{1}, explicit={2}: {0}")
    @CsvSource(delimiter = '|', value = {
            // The S3 User Guide's examples.
            "s3:GetObject because no identity-based policy allows the s3:GetObject action|identity|false",
            ON + "with an explicit deny in an identity-based policy|identity|true",
            "s3:GetObject because no resource-based policy allows the s3:GetObject action|resource|false",
            ON + "with an explicit deny in a resource-based policy|resource|true",
            "s3:GetObject because no service control policy allows the s3:GetObject action|scp|false",
            "s3:GetObject with an explicit deny in a service control policy|scp|true",
            ON + "with an explicit deny in a resource control policy|rcp|true",
            "s3:GetObject because no VPC endpoint policy allows the s3:GetObject action|vpc-endpoint|false",
            ON + "with an explicit deny in a VPC endpoint policy|vpc-endpoint|true",
            ON + "because no permissions boundary allows the s3:GetObject action|permissions-boundary|false",
            "s3:GetObject with an explicit deny in a permissions boundary|permissions-boundary|true",
            "s3:GetObject because no session policy allows the s3:GetObject action|session|false",
            ON + "with an explicit deny in a session policy|session|true",
            // The IAM User Guide's variants, as printed (sic).
            "s3:GetObject with an explicit deny in a sessions policy|session|true",
            "sts:AssumeRole because the role trust policy allows the sts:AssumeRole action|trust|false",
            "sts:AssumeRole with an explicit deny in the role trust policy|trust|true",
            "s3:GetObject with an explicit deny in a VPC endpoint policy transitively through a service control "
                    + "policy|vpc-endpoint|true",
            "s3:GetObject due to an explicit deny in a Service Control Policy|scp|true",
    })
    void parse_everyVariantOfTheReference(String tail, String type, boolean explicit) {
        DenialReason r = DenialReason.parse(USER + tail);
        assertEquals(new DenialReason(type, explicit), r);
        assertTrue(DenialReason.TYPES.contains(r.policyType()));
    }

    @Test
    void parse_wireShapes_withTheSdksSuffix_andLineBreaks() {
        assertEquals(new DenialReason("identity", false), DenialReason.parse("User: arn:aws:sts::123456789012:"
                + "assumed-role/role/i-0abc is not authorized to perform: s3:PutObject on resource: "
                + "\"arn:aws:s3:::b/k\"\nbecause no identity-based policy allows the s3:PutObject action (Service: S3, "
                + "Status Code: 403, Request ID: X)"));
        assertEquals(new DenialReason("resource", false), DenialReason.parse("User: arn:aws:sts::1:assumed-role/r/i "
                + "is not authorized to perform: s3:ListBucket on resource: \"arn:aws:s3:::krost-media-folder\" because "
                + "no resource-based policy allows the s3:ListBucket action"));
    }

    @Test
    void parse_messagesThatDoNotSay_areNothing() {
        assertNull(DenialReason.parse("Access Denied"));
        assertNull(DenialReason.parse(null));
        assertNull(DenialReason.parse(USER + "s3:PutBucketPolicy on resource: \"x\" because public policies are "
                + "prevented by the BlockPublicPolicy setting in S3 Block Public Access."));
        assertNull(DenialReason.parse(USER + "s3:PutObject on resource: \"x\" because this bucket has blocked upload "
                + "requests that specify Server Side Encryption with Customer provided keys (SSE-C)."));
    }

    @Test
    void classifier_recordsTheReason_inTheEvidence() {
        Failure f = ErrorClassifier.classify(s3(USER + ON + "with an explicit deny in a resource-based policy"));
        assertEquals("resource", f.evidence().policyType());
        assertEquals(Boolean.TRUE, f.evidence().explicitDeny());
        Failure bare = ErrorClassifier.classify(s3("Access Denied"));
        assertNull(bare.evidence().policyType());
        assertNull(bare.evidence().explicitDeny());
    }

    @Test
    void implicitIdentity_getsTheRoleStatement_only() {
        Diagnosis d = diagnose("identity", false, null);
        assertEquals("access denied: role np-role may not s3:GetObject on arn:aws:s3:::amzn-s3-demo-bucket1/* (no Allow "
                + "in an identity-based policy)", d.summary());
        assertTrue(d.remediation().startsWith("add this statement to the policy of role np-role:\n{\"Sid\":"
                + "\"NodeprobeGetObject\",\"Effect\":\"Allow\""), d.remediation());
        assertFalse(d.remediation().contains("bucket policy"), d.remediation());
    }

    @ParameterizedTest
    @CsvSource({"identity", "resource", "scp", "rcp", "permissions-boundary", "session", "vpc-endpoint", "trust"})
    void anExplicitDeny_neverOffersAnAllow(String type) {
        Diagnosis d = diagnose(type, true, null);
        assertFalse(d.remediation().contains("\"Effect\":\"Allow\""), d.remediation());
        assertTrue(d.summary().contains("with an explicit deny in "), d.summary());
    }

    @Test
    void resourceBased_getsTheBucketStatement_andTheBlockPublicAccessNote() {
        Diagnosis d = diagnose("resource", false, null);
        assertTrue(d.remediation().startsWith("add this statement to the bucket policy of amzn-s3-demo-bucket1:\n"
                + "{\"Sid\":\"NodeprobeGetObjectForRole\",\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"" + ROLE_ARN
                + "\"}"), d.remediation());
        assertTrue(d.remediation().contains("S3 Block Public Access"), d.remediation());
        Diagnosis explicit = diagnose("resource", true, null);
        assertTrue(explicit.remediation().contains("aws s3api get-bucket-policy --bucket amzn-s3-demo-bucket1"));
        assertTrue(explicit.remediation().contains("RestrictPublicBuckets"), explicit.remediation());
    }

    @Test
    void scpAndRcp_goToTheOrganizationsAdministrator() {
        Diagnosis scp = diagnose("scp", false, null);
        assertTrue(scp.remediation().contains("ask the organization's administrator to allow s3:GetObject on "
                + "arn:aws:s3:::amzn-s3-demo-bucket1/* for account 123456789012"), scp.remediation());
        assertTrue(scp.remediation().contains("--target-id 123456789012 --filter SERVICE_CONTROL_POLICY"));
        assertTrue(diagnose("rcp", true, null).remediation().contains("RESOURCE_CONTROL_POLICY"));
    }

    @Test
    void anExplicitResourceDenyOverPlainHttp_isTheSecureTransportStatement() {
        Diagnosis d = diagnose("resource", true, "http://127.0.0.1:18081");
        assertTrue(d.summary().contains("nodeprobe spoke plain HTTP to http://127.0.0.1:18081: Anyscale's bucket "
                + "policy denies every request without TLS (aws:SecureTransport false)"), d.summary());
        assertTrue(d.remediation().startsWith("use an https:// endpoint"), d.remediation());
        Diagnosis bare = Diagnosis.of(failure(null, null), context("http://127.0.0.1:18081"));
        assertTrue(bare.remediation().endsWith("refuses every request; use https://"), bare.remediation());
    }

    @Test
    void aBareAccessDenied_keepsTheFullList() {
        Diagnosis d = Diagnosis.of(failure(null, null), context(null));
        assertTrue(d.remediation().contains("its bucket policy must also allow the role"), d.remediation());
        assertTrue(d.remediation().endsWith("also check for an explicit Deny (bucket policy, SCP, permissions "
                + "boundary, VPC endpoint policy)"), d.remediation());
    }

    private static Diagnosis diagnose(String type, boolean explicit, String plainHttp) {
        return Diagnosis.of(failure(type, explicit), context(plainHttp));
    }

    private static Failure failure(String type, Boolean explicit) {
        return new Failure(FailureKind.ACCESS_DENIED, new ErrorDetail(403, "AccessDenied", "R", "m", type, explicit),
                null);
    }

    private static CallContext context(String plainHttp) {
        return new CallContext("s3:GetObject", BUCKET, "arn:aws:s3:::amzn-s3-demo-bucket1/k", "np-role", ROLE_ARN,
                "us-east-1", "AWS_REGION", plainHttp);
    }

    private static S3Exception s3(String message) {
        return (S3Exception) S3Exception.builder().statusCode(403).requestId("REQ1")
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDenied").errorMessage(message)
                        .sdkHttpResponse(SdkHttpResponse.builder().statusCode(403).build()).build())
                .build();
    }
}
