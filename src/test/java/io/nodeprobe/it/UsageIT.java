package io.nodeprobe.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad input exits 2 with one line on stderr, never a stack trace; no cloud needed. */
class UsageIT {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "check --bogus|Unknown option: '--bogus'",
            "check --bucket Bad_Bucket|invalid bucket name 'Bad_Bucket'",
            "check --storage-uri http://bucket/x|not an s3:// URI",
            "check --storage-uri s3:///x|has no bucket",
            "check --storage-uri s3://ok-bucket/a/../b|'..' path segments",
            "check --bucket ok-bucket --storage-uri s3://ok-bucket/|pass only one",
            "check --bucket ok-bucket --timeout forever|not a duration",
            "check --bucket ok-bucket --format xml|Invalid value for option '--format'",
            "check --bucket ok-bucket --region=US_EAST|invalid region",
            "check|no bucket configured",
            "policy --bucket ok-bucket --role-arn arn:aws:iam::1:user/x|not an IAM role ARN",
            "frobnicate|Unmatched argument",
            "(none)|missing command"})
    void badInput_exitsTwoWithOneLine(String args, String message) {
        String[] argv = args.equals("(none)") ? new String[0] : args.split(" ");
        NodeprobeRun run = new Nodeprobe().env("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:9").run(argv);
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals("", run.stdout(), run::toString);
        assertEquals(1, run.stderr().strip().lines().count(), run::toString);
        assertTrue(run.stderr().contains(message), run::toString);
        assertTrue(!run.stderr().contains("\tat "), "no stack trace");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "AWS_ENDPOINT_URL_S3|ftp://127.0.0.1",
            "AWS_EC2_METADATA_SERVICE_ENDPOINT|not a url",
            "ANYSCALE_ARTIFACT_STORAGE|s3://",
            "AWS_EC2_METADATA_DISABLED|perhaps",
            "AWS_METADATA_SERVICE_TIMEOUT|0",
            "AWS_REQUEST_CHECKSUM_CALCULATION|always"})
    void badEnvironment_exitsTwoNamingTheVariable(String var, String value) {
        Nodeprobe np = new Nodeprobe().env(var, value);
        NodeprobeRun run = var.equals("ANYSCALE_ARTIFACT_STORAGE") ? np.run("check") : np.run("check", "--bucket", "ok-bucket");
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals(1, run.stderr().strip().lines().count(), run::toString);
        assertTrue(run.stderr().contains(var), run::toString);
    }

    @Test
    void version_everywhere() {
        for (String[] argv : new String[][] {{"--version"}, {"check", "--version"}, {"identity", "--version"},
                {"policy", "--version"}}) {
            NodeprobeRun run = new Nodeprobe().run(argv);
            assertEquals(0, run.exitCode(), run::toString);
            assertTrue(run.stdout().startsWith("nodeprobe 0.1.0 ("
                    + (Nodeprobe.artifact().nativeImage() ? "native" : "jvm")), run::toString);
        }
    }

    @Test
    void help_listsCommandsAndExitCodes() {
        NodeprobeRun run = new Nodeprobe().run("--help");
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.stdout().contains("check") && run.stdout().contains("identity")
                && run.stdout().contains("policy") && run.stdout().contains("Exit codes"), run::toString);
    }

    @Test
    void imdsDisabledAndNoCredentials_failsSaying() {
        NodeprobeRun run = new Nodeprobe().env("AWS_EC2_METADATA_DISABLED", "true")
                .run("check", "--bucket", "ok-bucket", "--format", "json");
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.report().check("sts.caller-identity").diagnosis().orElseThrow()
                .startsWith("no credentials found"), run::toString);
    }
}
