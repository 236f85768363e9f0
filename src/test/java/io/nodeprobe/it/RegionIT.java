package io.nodeprobe.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nodeprobe.localcloud.RecordedS3;
import io.nodeprobe.localcloud.RecordedS3.WrongRegion;
import org.junit.jupiter.api.Test;

/**
 * A bucket in another region than the one nodeprobe signs for, as S3 answers it (recorded: RGW has one region):
 * 301 PermanentRedirect with x-amz-bucket-region, or 400 AuthorizationHeaderMalformed naming the region, HEAD
 * without a body. The report names the bucket's region, where the wrong one came from, and the variable to set.
 */
class RegionIT extends CloudScenario {

    private NodeprobeRun run(RecordedS3 s3, String... envAndArgs) {
        Nodeprobe n = node("np-full").env("AWS_ENDPOINT_URL_S3", s3.endpoint());
        int i = 0;
        for (; i + 1 < envAndArgs.length && envAndArgs[i].matches("[A-Z_]+"); i += 2) {
            n.env(envAndArgs[i], envAndArgs[i + 1]);
        }
        String[] extra = java.util.Arrays.copyOfRange(envAndArgs, i, envAndArgs.length);
        String[] args = new String[4 + extra.length];
        args[0] = "check";
        args[1] = "--bucket";
        args[2] = cloud.bucket();
        System.arraycopy(extra, 0, args, 3, extra.length);
        args[args.length - 1] = "--format=json";
        return n.run(args);
    }

    @Test
    void permanentRedirect_namesTheBucketsRegion_andWhereOursCameFrom() {
        try (RecordedS3 s3 = RecordedS3.start().livesIn("eu-west-1", WrongRegion.PERMANENT_REDIRECT)) {
            NodeprobeRun run = run(s3, "AWS_REGION", "us-east-1");
            assertEquals(1, run.exitCode(), run::toString);
            ReportJson r = run.report();
            ReportJson.Check list = r.check("s3.list");
            assertEquals("fail", list.status(), list::toString);
            assertEquals("PermanentRedirect", list.errorCode());
            assertEquals("bucket " + cloud.bucket() + " is in eu-west-1, not in us-east-1 (from AWS_REGION): requests "
                    + "signed for us-east-1 are refused", list.diagnosis().orElseThrow());
            assertTrue(list.text("remediation").startsWith("set ANYSCALE_CLOUD_STORAGE_BUCKET_REGION=eu-west-1"),
                    list::toString);
            assertEquals("us-east-1", r.at("target", "region"));
            assertEquals("AWS_REGION", r.at("target", "regionSource"));
            assertEquals("eu-west-1", r.at("target", "bucketRegion"));
        }
    }

    @Test
    void authorizationHeaderMalformed_fromImdsRegion_isTheNodesOwnRegion() {
        try (RecordedS3 s3 = RecordedS3.start().livesIn("eu-central-1", WrongRegion.AUTHORIZATION_HEADER_MALFORMED)) {
            NodeprobeRun run = run(s3);
            assertEquals(1, run.exitCode(), run::toString);
            ReportJson r = run.report();
            ReportJson.Check put = r.check("s3.put");
            assertEquals("AuthorizationHeaderMalformed", put.errorCode(), put::toString);
            assertTrue(put.diagnosis().orElseThrow().contains("is in eu-central-1, not in us-east-1 (the node's own "
                    + "region, from IMDS)"), put::toString);
            assertEquals("imds", r.at("target", "regionSource"));
            assertEquals("eu-central-1", r.at("target", "bucketRegion"));
        }
    }

    @Test
    void aWrongBucketRegionVariable_isToBeCorrected_andTheFlagIsNamedAsTheFlag() {
        try (RecordedS3 s3 = RecordedS3.start().livesIn("eu-central-1", WrongRegion.PERMANENT_REDIRECT)) {
            NodeprobeRun wrongVar = run(s3, "ANYSCALE_CLOUD_STORAGE_BUCKET_REGION", "us-west-2");
            assertEquals("correct ANYSCALE_CLOUD_STORAGE_BUCKET_REGION to eu-central-1",
                    wrongVar.report().check("s3.list").text("remediation"), wrongVar::toString);
            NodeprobeRun flag = run(s3, "--region", "us-west-2");
            assertEquals("pass --region eu-central-1", flag.report().check("s3.list").text("remediation"),
                    flag::toString);
            assertEquals("--region", flag.report().at("target", "regionSource"));
        }
    }

    @Test
    void theRightRegion_passes_andNoBucketRegionIsClaimed() {
        try (RecordedS3 s3 = RecordedS3.start().livesIn("eu-west-1", WrongRegion.PERMANENT_REDIRECT)) {
            NodeprobeRun run = run(s3, "ANYSCALE_CLOUD_STORAGE_BUCKET_REGION", "eu-west-1", "AWS_REGION", "us-east-1");
            assertEquals(0, run.exitCode(), run::toString);
            assertEquals("ANYSCALE_CLOUD_STORAGE_BUCKET_REGION", run.report().at("target", "regionSource"));
            assertNull(run.report().at("target", "bucketRegion"));
        }
    }
}
