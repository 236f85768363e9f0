package io.nodeprobe.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.nodeprobe.localcloud.StsEmulator;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Nodes whose credentials do not come from IMDS: EKS pods with IRSA (web identity) or Pod Identity (container
 * credentials), and plain environment variables, with IMDS out of reach as it is for such pods (hop limit 1).
 * Web identity goes through the real SDK STS client to the emulator's AssumeRoleWithWebIdentity; every bucket probe
 * is decided by RGW with the session's credentials.
 */
class CredentialSourcesIT extends CloudScenario {
    private static final String ISSUER = "https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
    private static final String SUBJECT = "system:serviceaccount:anyscale:ray-worker";
    private static final String ROLE_ARN = "arn:aws:iam::" + LocalCloud.ACCOUNT + ":role/np-full";
    private static final List<String> BUCKET_CHECKS = CheckNames.ALL.stream().filter(n -> n.startsWith("s3.")).toList();
    private static final List<String> IMDS_CHECKS = List.of("imds.token", "imds.instance-profile", "imds.credentials");

    /** A pod's view: IMDS refuses connections, as a hop limit of 1 or a network policy leaves it. */
    private Nodeprobe pod() {
        return new Nodeprobe()
                .env("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:" + Ports.closed())
                .env("AWS_ENDPOINT_URL_S3", cloud.rgwEndpoint())
                .env("AWS_ENDPOINT_URL_STS", sts.endpoint())
                .env("AWS_REGION", "us-east-1")
                .env("NODEPROBE_S3_PATH_STYLE", "true")
                .secrets(cloud.secrets());
    }

    private Nodeprobe irsa(String token) throws Exception {
        Path file = Files.createTempDirectory("np-irsa").resolve("token");
        Files.writeString(file, token);
        return pod().env("AWS_ROLE_ARN", ROLE_ARN).env("AWS_WEB_IDENTITY_TOKEN_FILE", file.toString()).secrets(token);
    }

    private static String token(String subject, Instant expires) {
        return StsEmulator.jwt(ISSUER, subject, "sts.amazonaws.com", expires);
    }

    @Test
    void environmentCredentials_withoutImds_passOnTheBucketAlone() {
        NodeprobeRun run = pod().env("AWS_ACCESS_KEY_ID", cloud.roleField("np-full", "AccessKeyId"))
                .env("AWS_SECRET_ACCESS_KEY", cloud.roleField("np-full", "SecretAccessKey"))
                .env("AWS_SESSION_TOKEN", cloud.roleField("np-full", "Token"))
                .run("check", "--bucket", cloud.bucket(), "--format", "json");
        assertEquals(0, run.exitCode(), run::toString);
        ReportJson r = run.report();
        assertEquals(IMDS_CHECKS, r.withStatus("skip"), run::toString);
        assertTrue(r.check("imds.token").text("detail").startsWith("not used: credentials come from environment "
                + "variables (AWS_ACCESS_KEY_ID) (IMDS: IMDS is unreachable"), run::toString);
        assertEquals("environment", r.at("identity", "credentialSource"));
        assertEquals(List.of(), r.withStatus("fail"));
    }

    @Test
    void irsa_trustedToken_passesEveryBucketCheck_asTheRole() throws Exception {
        sts.trustWebIdentity("np-full", ISSUER, SUBJECT);
        NodeprobeRun run = irsa(token(SUBJECT, Instant.now().plusSeconds(3600)))
                .run("check", "--bucket", cloud.bucket(), "--format", "json");
        assertEquals(0, run.exitCode(), run::toString);
        ReportJson r = run.report();
        assertEquals("pass", r.status(), run::toString);
        for (String check : BUCKET_CHECKS) {
            assertEquals("pass", r.check(check).status(), check);
        }
        assertEquals(IMDS_CHECKS, r.withStatus("skip"), run::toString);
        assertEquals("web-identity", r.at("identity", "credentialSource"));
        assertEquals("np-full", r.at("identity", "role"));
        assertEquals("arn:aws:sts::" + LocalCloud.ACCOUNT + ":assumed-role/np-full/nodeprobe", r.at("identity", "arn"));
        assertNull(r.at("node", "instanceId"), run::toString);
        assertNull(r.at("identity", "instanceProfileArn"), run::toString);
    }

    @Test
    void irsa_untrustedSubject_namesTheTrustPolicy_withTheStatementToAdd() throws Exception {
        sts.trustWebIdentity("np-full", ISSUER, "system:serviceaccount:anyscale:other");
        NodeprobeRun run = irsa(token(SUBJECT, Instant.now().plusSeconds(3600)))
                .run("check", "--bucket", cloud.bucket(), "--format", "json");
        assertEquals(1, run.exitCode(), run::toString);
        ReportJson r = run.report();
        ReportJson.Check sts = r.check("sts.caller-identity");
        assertEquals("fail", sts.status(), run::toString);
        assertEquals("AccessDenied", sts.errorCode());
        assertTrue(sts.diagnosis().orElseThrow().contains("STS refused AssumeRoleWithWebIdentity: the trust policy of "
                + ROLE_ARN + " does not trust this token (issuer " + ISSUER + ", subject " + SUBJECT + ")"),
                sts::toString);
        String provider = ISSUER.substring("https://".length());
        assertTrue(sts.text("remediation").contains("{\"Effect\":\"Allow\",\"Principal\":{\"Federated\":\"arn:aws:iam::"
                + LocalCloud.ACCOUNT + ":oidc-provider/" + provider + "\"},\"Action\":\"sts:AssumeRoleWithWebIdentity\","
                + "\"Condition\":{\"StringEquals\":{\"" + provider + ":sub\":\"" + SUBJECT + "\",\"" + provider
                + ":aud\":\"sts.amazonaws.com\"}}}"), sts::toString);
        assertEquals(IMDS_CHECKS, r.withStatus("skip").subList(0, 3), run::toString);
        assertTrue(r.check("imds.token").text("detail").startsWith("not used: credentials are meant to come from "
                + "web identity token"), run::toString);
        assertEquals("skip", r.check("s3.list").status());
    }

    @Test
    void irsa_expiredToken_isSaidToBeExpired_byStsClock() throws Exception {
        sts.trustWebIdentity("np-full", ISSUER, SUBJECT);
        NodeprobeRun run = irsa(token(SUBJECT, Instant.now().minusSeconds(600)))
                .run("check", "--bucket", cloud.bucket(), "--format", "json");
        assertEquals(1, run.exitCode(), run::toString);
        ReportJson.Check sts = run.report().check("sts.caller-identity");
        assertEquals("ExpiredTokenException", sts.errorCode(), sts::toString);
        assertTrue(sts.diagnosis().orElseThrow().contains("STS says the web identity token has expired"), sts::toString);
    }

    @Test
    void irsa_issuerWithoutProvider_andAMissingFile_areEachNamed() throws Exception {
        sts.trustWebIdentity("np-full", "https://oidc.eks.us-east-1.amazonaws.com/id/OTHER", SUBJECT);
        NodeprobeRun unknown = irsa(token(SUBJECT, Instant.now().plusSeconds(3600)))
                .run("check", "--bucket", cloud.bucket(), "--format", "json");
        assertEquals(1, unknown.exitCode(), unknown::toString);
        ReportJson.Check sts = unknown.report().check("sts.caller-identity");
        assertEquals("InvalidIdentityToken", sts.errorCode(), sts::toString);
        assertTrue(sts.text("remediation").contains("aws iam create-open-id-connect-provider --url " + ISSUER),
                sts::toString);

        NodeprobeRun missing = pod().env("AWS_ROLE_ARN", ROLE_ARN)
                .env("AWS_WEB_IDENTITY_TOKEN_FILE", "/var/run/secrets/eks.amazonaws.com/serviceaccount/nope")
                .run("check", "--bucket", cloud.bucket(), "--format", "json");
        assertEquals(1, missing.exitCode(), missing::toString);
        ReportJson.Check m = missing.report().check("sts.caller-identity");
        assertTrue(m.diagnosis().orElseThrow().contains("the web identity token file "
                + "/var/run/secrets/eks.amazonaws.com/serviceaccount/nope (AWS_WEB_IDENTITY_TOKEN_FILE) does not "
                + "exist"), m::toString);
        assertTrue(m.text("remediation").contains("eks.amazonaws.com/role-arn"), m::toString);
    }

    @Test
    void podIdentity_containerCredentials_withoutImds_pass() throws Exception {
        // EKS Pod Identity: the agent serves the role's credentials to a URI with an authorization token file.
        String document = Files.readString(cloud.roleDocument("np-full"));
        Path auth = Files.createTempDirectory("np-pod-identity").resolve("token");
        String authToken = "pod-identity-authorization-token";
        Files.writeString(auth, authToken);
        HttpServer agent = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        agent.createContext("/v1/credentials", x -> {
            boolean authorized = authToken.equals(x.getRequestHeaders().getFirst("Authorization"));
            byte[] body = (authorized ? document : "{\"Message\":\"unauthorized\"}").getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", "application/json");
            x.sendResponseHeaders(authorized ? 200 : 401, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        agent.start();
        try {
            NodeprobeRun run = pod().env("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:"
                            + agent.getAddress().getPort() + "/v1/credentials")
                    .env("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", auth.toString()).secrets(authToken)
                    .run(Duration.ofSeconds(30), "check", "--bucket", cloud.bucket(), "--format", "json");
            assertEquals(0, run.exitCode(), run::toString);
            ReportJson r = run.report();
            assertEquals("container", r.at("identity", "credentialSource"), run::toString);
            assertEquals(IMDS_CHECKS, r.withStatus("skip"), run::toString);
            assertEquals("pass", r.check("s3.put").status());
        } finally {
            agent.stop(0);
        }
    }
}
