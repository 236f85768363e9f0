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

    public static String resourceFor(String action, String bucket) {
        return isBucketAction(action) ? bucketArn(bucket) : bucketArn(bucket) + "/*";
    }

    public static String bucketArn(String bucket) {
        return "arn:aws:s3:::" + bucket;
    }

    /** One identity-policy statement granting {@code action}, compact, ready to paste into a Statement list. */
    public static String statement(String action, String bucket) {
        JsonWriter w = new JsonWriter(false);
        w.beginObject()
                .field("Sid", "Nodeprobe" + action.substring(action.indexOf(':') + 1).replace("*", "All"))
                .field("Effect", "Allow")
                .field("Action", action)
                .field("Resource", resourceFor(action, bucket))
                .endObject();
        return w.toString();
    }

    /** One bucket-policy statement granting {@code action} to the role, for a bucket in another account. */
    public static String bucketStatement(String action, String bucket, String roleArn) {
        JsonWriter w = new JsonWriter(false);
        w.beginObject()
                .field("Sid", "Nodeprobe" + action.substring(action.indexOf(':') + 1) + "ForRole")
                .field("Effect", "Allow");
        w.name("Principal").beginObject().field("AWS", roleArn).endObject();
        w.field("Action", action).field("Resource", resourceFor(action, bucket)).endObject();
        return w.toString();
    }

    /** The minimum role policy for Anyscale's bucket, as a complete document. */
    public static String rolePolicy(String bucket) {
        JsonWriter w = new JsonWriter(true);
        writeRolePolicy(w, bucket);
        return w.toString();
    }

    public static void writeRolePolicy(JsonWriter w, String bucket) {
        w.beginObject().field("Version", "2012-10-17").name("Statement").beginArray();
        w.beginObject().field("Sid", "AnyscaleBucketList").field("Effect", "Allow")
                .field("Action", "s3:ListBucket").field("Resource", bucketArn(bucket)).endObject();
        w.beginObject().field("Sid", "AnyscaleBucketObjects").field("Effect", "Allow")
                .field("Action", "s3:*Object").field("Resource", bucketArn(bucket) + "/*").endObject();
        w.endArray().endObject();
    }

    /** The bucket policy a bucket in another account needs so that {@code roleArn} may use it. */
    public static String crossAccountBucketPolicy(String bucket, String roleArn) {
        JsonWriter w = new JsonWriter(true);
        writeCrossAccountBucketPolicy(w, bucket, roleArn);
        return w.toString();
    }

    public static void writeCrossAccountBucketPolicy(JsonWriter w, String bucket, String roleArn) {
        w.beginObject().field("Version", "2012-10-17").name("Statement").beginArray();
        w.beginObject().field("Sid", "AnyscaleNodeRole").field("Effect", "Allow");
        w.name("Principal").beginObject().field("AWS", roleArn).endObject();
        w.name("Action").beginArray();
        CROSS_ACCOUNT_ACTIONS.forEach(w::value);
        w.endArray();
        w.name("Resource").beginArray().value(bucketArn(bucket)).value(bucketArn(bucket) + "/*").endArray();
        w.endObject().endArray().endObject();
    }
}
