package io.nodeprobe.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nodeprobe.aws.Deadline;
import io.nodeprobe.report.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.sts.model.StsException;

class WebIdentityExchangeTest {
    private static final String ROLE = "arn:aws:iam::123456789012:role/pod";
    private static final String TOKEN = io.nodeprobe.localcloud.StsEmulator.jwt("https://oidc.example/id/ABC",
            "system:serviceaccount:ns:sa", "sts.amazonaws.com", Instant.parse("2030-01-01T00:00:00Z"));

    private static Path tokenFile(String content) throws Exception {
        Path f = Files.createTempDirectory("np-wi").resolve("token");
        Files.writeString(f, content);
        return f;
    }

    private static Sts refusing(int status, String code, String message) {
        return new Sts() {
            @Override
            public CallerIdentity callerIdentity(Duration budget) {
                throw new AssertionError();
            }

            @Override
            public AwsSessionCredentials assumeRoleWithWebIdentity(String roleArn, String session, String token,
                                                                   Duration budget) {
                throw (StsException) StsException.builder().statusCode(status).awsErrorDetails(AwsErrorDetails.builder()
                        .errorCode(code).errorMessage(message).build()).build();
            }
        };
    }

    private static WebIdentityExchange.Outcome exchange(Path file, Sts sts) {
        return new WebIdentityExchange(file, ROLE, "nodeprobe").exchange(() -> sts, Deadline.in(Duration.ofSeconds(5)));
    }

    @Test
    void token_claimsAreRead_withoutTheSignature() {
        WebIdentityToken t = WebIdentityToken.parse(TOKEN).orElseThrow();
        assertEquals("https://oidc.example/id/ABC", t.issuer());
        assertEquals("system:serviceaccount:ns:sa", t.subject());
        assertEquals("oidc.example/id/ABC", t.providerPath());
        assertEquals(Instant.parse("2030-01-01T00:00:00Z").getEpochSecond(), t.expiresAtEpochSecond());
        assertTrue(WebIdentityToken.parse("not a jwt").isEmpty());
    }

    @Test
    void trusted_givesTheSessionsCredentials() throws Exception {
        Sts sts = new Sts() {
            @Override
            public CallerIdentity callerIdentity(Duration budget) {
                throw new AssertionError();
            }

            @Override
            public AwsSessionCredentials assumeRoleWithWebIdentity(String roleArn, String session, String token,
                                                                   Duration budget) {
                assertEquals(TOKEN, token);
                return AwsSessionCredentials.create("ASIAEXAMPLE", "secret", "session");
            }
        };
        WebIdentityExchange.Outcome o = exchange(tokenFile(TOKEN + "\n"), sts);
        assertNull(o.problem());
        assertEquals("ASIAEXAMPLE", o.credentials().accessKeyId());
    }

    @Test
    void missingEmptyOrUnreadableFile_isDefinite_andStsIsNeverAsked() throws Exception {
        Sts never = refusing(500, "InternalFailure", "must not be called");
        CredentialProblem missing = exchange(Path.of("/nonexistent/np/token"), never).problem();
        assertEquals(Status.FAIL, missing.status());
        assertTrue(missing.summary().endsWith("does not exist"), missing.summary());
        CredentialProblem empty = exchange(tokenFile("  \n"), never).problem();
        assertTrue(empty.summary().endsWith("is empty"), empty.summary());
        CredentialProblem dir = exchange(Files.createTempDirectory("np-wi-dir"), never).problem();
        assertTrue(dir.summary().contains("cannot be read"), dir.summary());
    }

    @Test
    void accessDenied_isTheTrustPolicy_withIssuerAndSubject() throws Exception {
        CredentialProblem p = exchange(tokenFile(TOKEN), refusing(403, "AccessDenied",
                "Not authorized to perform sts:AssumeRoleWithWebIdentity")).problem();
        assertEquals(Status.FAIL, p.status());
        assertEquals("AccessDenied", p.evidence().code());
        assertTrue(p.summary().contains("does not trust this token (issuer https://oidc.example/id/ABC, subject "
                + "system:serviceaccount:ns:sa)"), p.summary());
        assertTrue(p.remediation().contains("\"Federated\":\"arn:aws:iam::123456789012:oidc-provider/oidc.example/id/ABC\""),
                p.remediation());
        assertTrue(!p.remediation().contains(TOKEN) && !p.summary().contains(TOKEN), "the token is a secret");
    }

    @Test
    void expiredAndInvalidTokens_andThrottling_areToldApart() throws Exception {
        Path f = tokenFile(TOKEN);
        CredentialProblem expired = exchange(f, refusing(400, "ExpiredTokenException",
                "Token expired: current date/time 1700000600 must be before the expiration date/time 1700000000"))
                .problem();
        assertTrue(expired.summary().startsWith("STS says the web identity token has expired"), expired.summary());
        CredentialProblem invalid = exchange(f, refusing(400, "InvalidIdentityToken",
                "No OpenIDConnect provider found in your account for https://oidc.example/id/ABC")).problem();
        assertTrue(invalid.remediation().contains("create-open-id-connect-provider --url https://oidc.example/id/ABC"),
                invalid.remediation());
        CredentialProblem busy = exchange(f, refusing(400, "Throttling", "Rate exceeded")).problem();
        assertEquals(Status.UNKNOWN, busy.status(), busy.toString());
    }
}
