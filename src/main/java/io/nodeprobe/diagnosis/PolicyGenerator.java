package io.nodeprobe.diagnosis;

import io.nodeprobe.report.JsonWriter;
import java.util.List;

/**
 * The IAM policy text to paste. Bucket-level actions go on {@code arn:aws:s3:::B}, object actions on
 * {@code arn:aws:s3:::B/*}: putting them the other way round is the commonest hand-written mistake.
 */
public final class PolicyGenerator {
    /** What Anyscale's docs ask of a bucket in another account, granted to the role in the bucket policy. */
    public static final List<String> CROSS_ACCOUNT_ACTIONS = List.of("s3:PutObject", "s3:DeleteObject",
            "s3:GetObject", "s3:ListBucket", "s3:ListBucketMultipartUploads", "s3:ListMultipartUploadParts",
            "s3:AbortMultipartUpload", "s3:GetBucketLocation");

    private PolicyGenerator() {
    }

    public static boolean isBucketAction(String action) {
        return action.startsWith("s3:ListBucket") || action.equals("s3:GetBucketLocation");
    }

    /** A role ARN to fill in by hand, in the right partition. */
    public static String placeholderRoleArn(String partition) {
        return "arn:" + partition + ":iam::ACCOUNT_ID:role/ROLE_NAME";
    }

    /** One identity-policy statement granting {@code action}, compact, ready to paste into a Statement list. */
    public static String statement(String action, BucketArn bucket) {
        JsonWriter w = new JsonWriter(false);
        w.beginObject()
                .field("Sid", "Nodeprobe" + action.substring(action.indexOf(':') + 1).replace("*", "All"))
                .field("Effect", "Allow")
                .field("Action", action)
                .field("Resource", bucket.forAction(action))
                .endObject();
        return w.toString();
    }

    /** One bucket-policy statement granting {@code action} to the role, for a bucket in another account. */
    public static String bucketStatement(String action, BucketArn bucket, String roleArn) {
        JsonWriter w = new JsonWriter(false);
        w.beginObject()
                .field("Sid", "Nodeprobe" + action.substring(action.indexOf(':') + 1) + "ForRole")
                .field("Effect", "Allow");
        w.name("Principal").beginObject().field("AWS", roleArn).endObject();
        w.field("Action", action).field("Resource", bucket.forAction(action)).endObject();
        return w.toString();
    }

    /** The minimum role policy for Anyscale's bucket, as a complete document. */
    public static String rolePolicy(BucketArn bucket) {
        JsonWriter w = new JsonWriter(true);
        writeRolePolicy(w, bucket);
        return w.toString();
    }

    public static void writeRolePolicy(JsonWriter w, BucketArn bucket) {
        w.beginObject().field("Version", "2012-10-17").name("Statement").beginArray();
        w.beginObject().field("Sid", "AnyscaleBucketList").field("Effect", "Allow")
                .field("Action", "s3:ListBucket").field("Resource", bucket.toString()).endObject();
        w.beginObject().field("Sid", "AnyscaleBucketObjects").field("Effect", "Allow")
                .field("Action", "s3:*Object").field("Resource", bucket.objects()).endObject();
        w.endArray().endObject();
    }

    /**
     * The recommended role policy: all eight actions Anyscale grants a cluster role (its Terraform module does),
     * bucket actions on the bucket and object actions on its objects. Unlike the minimum, it covers multipart
     * listing and abort and the bucket's location, which {@code s3:*Object} does not match.
     */
    public static void writeRecommendedRolePolicy(JsonWriter w, BucketArn bucket) {
        w.beginObject().field("Version", "2012-10-17").name("Statement").beginArray();
        w.beginObject().field("Sid", "AnyscaleBucket").field("Effect", "Allow").name("Action").beginArray();
        CROSS_ACCOUNT_ACTIONS.stream().filter(PolicyGenerator::isBucketAction).forEach(w::value);
        w.endArray().field("Resource", bucket.toString()).endObject();
        w.beginObject().field("Sid", "AnyscaleBucketObjects").field("Effect", "Allow").name("Action").beginArray();
        CROSS_ACCOUNT_ACTIONS.stream().filter(a -> !isBucketAction(a)).forEach(w::value);
        w.endArray().field("Resource", bucket.objects()).endObject();
        w.endArray().endObject();
    }

    /** What SSE-KMS needs of the bucket's key: GenerateDataKey to write, Decrypt to read and for multipart. */
    public static final List<String> KMS_ACTIONS = List.of("kms:GenerateDataKey", "kms:Decrypt");

    /** The role's statement for an SSE-KMS bucket's key, compact. */
    public static String kmsRoleStatement(String keyArn) {
        JsonWriter w = new JsonWriter(false);
        writeKmsRoleStatement(w, keyArn);
        return w.toString();
    }

    public static void writeKmsRoleStatement(JsonWriter w, String keyArn) {
        w.beginObject().field("Sid", "NodeprobeBucketKey").field("Effect", "Allow").name("Action").beginArray();
        KMS_ACTIONS.forEach(w::value);
        w.endArray().field("Resource", keyArn).endObject();
    }

    /** The key policy's statement letting the role use the key (always needed for a key in another account). */
    public static String kmsKeyPolicyStatement(String roleArn) {
        JsonWriter w = new JsonWriter(false);
        writeKmsKeyPolicyStatement(w, roleArn);
        return w.toString();
    }

    public static void writeKmsKeyPolicyStatement(JsonWriter w, String roleArn) {
        w.beginObject().field("Sid", "NodeprobeBucketKeyForRole").field("Effect", "Allow");
        w.name("Principal").beginObject().field("AWS", roleArn).endObject().name("Action").beginArray();
        KMS_ACTIONS.forEach(w::value);
        w.endArray().field("Resource", "*").endObject();
    }

    /** The bucket policy a bucket in another account needs so that {@code roleArn} may use it. */
    public static String crossAccountBucketPolicy(BucketArn bucket, String roleArn) {
        JsonWriter w = new JsonWriter(true);
        writeCrossAccountBucketPolicy(w, bucket, roleArn);
        return w.toString();
    }

    public static void writeCrossAccountBucketPolicy(JsonWriter w, BucketArn bucket, String roleArn) {
        w.beginObject().field("Version", "2012-10-17").name("Statement").beginArray();
        w.beginObject().field("Sid", "AnyscaleNodeRole").field("Effect", "Allow");
        w.name("Principal").beginObject().field("AWS", roleArn).endObject();
        w.name("Action").beginArray();
        CROSS_ACCOUNT_ACTIONS.forEach(w::value);
        w.endArray();
        w.name("Resource").beginArray().value(bucket.toString()).value(bucket.objects()).endArray();
        w.endObject().endArray().endObject();
    }
}
