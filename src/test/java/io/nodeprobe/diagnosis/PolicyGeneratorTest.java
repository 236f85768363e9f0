package io.nodeprobe.diagnosis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nodeprobe.report.ErrorDetail;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

class PolicyGeneratorTest {
    private static final BucketArn BUCKET = new BucketArn("aws", "my-bucket");

    @Test
    void statement_objectAction_onObjectArn() {
        assertEquals("{\"Sid\":\"NodeprobePutObject\",\"Effect\":\"Allow\",\"Action\":\"s3:PutObject\","
                + "\"Resource\":\"arn:aws:s3:::my-bucket/*\"}", PolicyGenerator.statement("s3:PutObject", BUCKET));
    }

    @Test
    void statement_listBucket_onBucketArn() {
        assertEquals("{\"Sid\":\"NodeprobeListBucket\",\"Effect\":\"Allow\",\"Action\":\"s3:ListBucket\","
                + "\"Resource\":\"arn:aws:s3:::my-bucket\"}", PolicyGenerator.statement("s3:ListBucket", BUCKET));
    }

    @Test
    void statement_inChina_usesTheCallersPartition() {
        assertEquals("{\"Sid\":\"NodeprobeGetObject\",\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\","
                        + "\"Resource\":\"arn:aws-cn:s3:::cn-bucket/*\"}",
                PolicyGenerator.statement("s3:GetObject", new BucketArn("aws-cn", "cn-bucket")));
    }

    @Test
    void rolePolicy_isValidJsonWithTheMinimumStatements() {
        JsonNode doc = JsonNode.parser().parse(PolicyGenerator.rolePolicy(BUCKET));
        assertEquals("2012-10-17", doc.field("Version").orElseThrow().asString());
        List<JsonNode> st = doc.field("Statement").orElseThrow().asArray();
        assertEquals(2, st.size());
        assertEquals("s3:ListBucket", st.get(0).field("Action").orElseThrow().asString());
        assertEquals("arn:aws:s3:::my-bucket", st.get(0).field("Resource").orElseThrow().asString());
        assertEquals("s3:*Object", st.get(1).field("Action").orElseThrow().asString());
        assertEquals("arn:aws:s3:::my-bucket/*", st.get(1).field("Resource").orElseThrow().asString());
    }

    @Test
    void crossAccountBucketPolicy_namesTheRoleAndAllAnyscaleActions() {
        JsonNode doc = JsonNode.parser().parse(PolicyGenerator.crossAccountBucketPolicy(BUCKET,
                "arn:aws:iam::123456789012:role/node"));
        JsonNode st = doc.field("Statement").orElseThrow().asArray().get(0);
        assertEquals("arn:aws:iam::123456789012:role/node",
                st.field("Principal").orElseThrow().field("AWS").orElseThrow().asString());
        List<String> actions = st.field("Action").orElseThrow().asArray().stream().map(JsonNode::asString).toList();
        assertEquals(List.of("s3:PutObject", "s3:DeleteObject", "s3:GetObject", "s3:ListBucket",
                "s3:ListBucketMultipartUploads", "s3:ListMultipartUploadParts", "s3:AbortMultipartUpload",
                "s3:GetBucketLocation"), actions);
        assertEquals(List.of("arn:aws:s3:::my-bucket", "arn:aws:s3:::my-bucket/*"),
                st.field("Resource").orElseThrow().asArray().stream().map(JsonNode::asString).toList());
    }

    @Test
    void diagnosis_accessDenied_givesStatementAndBucketPolicyAlternative() {
        Failure f = new Failure(FailureKind.ACCESS_DENIED, new ErrorDetail(403, "AccessDenied", "R", null), null);
        Diagnosis d = Diagnosis.of(f, new CallContext("s3:DeleteObject", BUCKET, "arn:aws:s3:::my-bucket/k",
                "node", "arn:aws:iam::123456789012:role/node", "us-east-1"));
        assertEquals("access denied: role node may not s3:DeleteObject on arn:aws:s3:::my-bucket/*", d.summary());
        assertTrue(d.remediation().contains(PolicyGenerator.statement("s3:DeleteObject", BUCKET)));
        assertTrue(d.remediation().contains("\"Principal\":{\"AWS\":\"arn:aws:iam::123456789012:role/node\"}"));
    }

    @Test
    void diagnosis_accessDeniedInGovCloud_withoutRoleArn_placeholderInThatPartition() {
        Failure f = new Failure(FailureKind.ACCESS_DENIED, new ErrorDetail(403, "AccessDenied", "R", null), null);
        Diagnosis d = Diagnosis.of(f, new CallContext("s3:ListBucket", new BucketArn("aws-us-gov", "gov"),
                "arn:aws-us-gov:s3:::gov", null, null, "us-gov-west-1"));
        assertTrue(d.summary().endsWith("on arn:aws-us-gov:s3:::gov"), d.summary());
        assertTrue(d.remediation().contains("arn:aws-us-gov:iam::ACCOUNT_ID:role/ROLE_NAME"), d.remediation());
        assertFalse(d.remediation().contains("arn:aws:"), "no ARN of the commercial partition: " + d.remediation());
    }

    @Test
    void recommendedRolePolicy_grantsAllEightActions_eachOnItsResource() {
        io.nodeprobe.report.JsonWriter w = new io.nodeprobe.report.JsonWriter(true);
        PolicyGenerator.writeRecommendedRolePolicy(w, BUCKET);
        JsonNode doc = JsonNode.parser().parse(w.toString());
        java.util.List<JsonNode> st = doc.field("Statement").orElseThrow().asArray();
        assertEquals(2, st.size());
        java.util.Map<String, String> resourceOf = new java.util.HashMap<>();
        for (JsonNode s : st) {
            for (JsonNode a : s.field("Action").orElseThrow().asArray()) {
                resourceOf.put(a.asString(), s.field("Resource").orElseThrow().asString());
            }
        }
        assertEquals(java.util.Map.of(
                "s3:ListBucket", "arn:aws:s3:::my-bucket", "s3:ListBucketMultipartUploads", "arn:aws:s3:::my-bucket",
                "s3:GetBucketLocation", "arn:aws:s3:::my-bucket", "s3:GetObject", "arn:aws:s3:::my-bucket/*",
                "s3:PutObject", "arn:aws:s3:::my-bucket/*", "s3:DeleteObject", "arn:aws:s3:::my-bucket/*",
                "s3:ListMultipartUploadParts", "arn:aws:s3:::my-bucket/*", "s3:AbortMultipartUpload", "arn:aws:s3:::my-bucket/*"),
                resourceOf);
    }
}
