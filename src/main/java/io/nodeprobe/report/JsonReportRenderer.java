package io.nodeprobe.report;

/** The documented JSON report, pretty-printed, fields in the documented order. */
public final class JsonReportRenderer implements ReportRenderer {

    @Override
    public String render(Report r) {
        JsonWriter w = new JsonWriter(true);
        w.beginObject();
        w.field("status", r.status().word());
        w.name("node").beginObject()
                .field("instanceId", r.node().instanceId())
                .field("region", r.node().region())
                .field("availabilityZone", r.node().availabilityZone());
        w.name("clockOffsetSeconds").value(r.node().clockOffsetSeconds());
        w.endObject();
        IdentityInfo id = r.identity();
        w.name("identity").beginObject()
                .field("account", id.account())
                .field("arn", id.arn())
                .field("role", id.role())
                .field("roleArn", id.roleArn())
                .field("instanceProfileArn", id.instanceProfileArn())
                .field("credentialSource", id.credentialSource())
                .field("credentialsExpireAt", id.credentialsExpireAt() == null ? null
                        : id.credentialsExpireAt().toString())
                .endObject();
        if (r.target() == null) {
            w.name("target").value((String) null);
        } else {
            w.name("target").beginObject()
                    .field("bucket", r.target().bucket())
                    .field("prefix", r.target().prefix())
                    .field("region", r.target().region())
                    .field("regionSource", r.target().regionSource())
                    .field("bucketRegion", r.target().bucketRegion())
                    .field("bucketOwner", r.target().bucketOwner())
                    .field("encryption", r.target().encryption())
                    .field("kmsKeyId", r.target().kmsKeyId())
                    .endObject();
        }
        w.name("checks").beginArray();
        for (CheckResult c : r.checks()) {
            writeCheck(w, c);
        }
        w.endArray();
        w.field("startedAt", r.startedAt().toString());
        w.field("durationMs", r.durationMs());
        if (r.failure() != null) {
            w.field("failure", r.failure()); // only on a run that stopped early, so the usual shape stays as documented
        }
        w.endObject();
        return w + "\n";
    }

    private static void writeCheck(JsonWriter w, CheckResult c) {
        w.beginObject()
                .field("name", c.name())
                .field("action", c.action())
                .field("resource", c.resource())
                .field("status", c.status().word())
                .field("durationMs", c.durationMs())
                .field("detail", c.detail());
        w.name("error");
        if (c.error() == null) {
            w.value((String) null);
        } else {
            w.beginObject()
                    .field("httpStatus", c.error().httpStatus())
                    .field("code", c.error().code())
                    .field("requestId", c.error().requestId())
                    .field("message", c.error().message())
                    .field("policyType", c.error().policyType())
                    .field("explicitDeny", c.error().explicitDeny())
                    .endObject();
        }
        w.field("diagnosis", c.diagnosis())
                .field("remediation", c.remediation())
                .endObject();
    }
}
