package io.nodeprobe.identity;

import io.nodeprobe.aws.Deadline;
import io.nodeprobe.diagnosis.CallContext;
import io.nodeprobe.diagnosis.Diagnosis;
import io.nodeprobe.diagnosis.ErrorClassifier;
import io.nodeprobe.diagnosis.Failure;
import io.nodeprobe.diagnosis.WebIdentityDiagnosis;
import io.nodeprobe.report.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * Web identity (IRSA on EKS, OIDC federation): reads the token file and exchanges the token at STS for the role's
 * credentials, as the SDK's provider does, but through the run's own STS client and deadline, so that each way it
 * can fail is told apart: no file, an unreadable one, a token the role does not trust, an expired one.
 */
final class WebIdentityExchange {
    /** The largest token we read: service account tokens are ~1 KB; a huge file is not one. */
    private static final int MAX_TOKEN = 64 * 1024;
    private static final CredentialSource SOURCE = CredentialSource.WEB_IDENTITY;

    /** Exactly one of the two is set. */
    record Outcome(AwsSessionCredentials credentials, CredentialProblem problem) {
    }

    private final Path tokenFile;
    private final String roleArn;
    private final String sessionName;

    WebIdentityExchange(Path tokenFile, String roleArn, String sessionName) {
        this.tokenFile = tokenFile;
        this.roleArn = roleArn;
        this.sessionName = sessionName;
    }

    Outcome exchange(Supplier<Sts> sts, Deadline deadline) {
        String token;
        try {
            byte[] bytes;
            try (var in = Files.newInputStream(tokenFile)) {
                bytes = in.readNBytes(MAX_TOKEN);
            }
            token = new String(bytes, StandardCharsets.UTF_8).strip();
        } catch (NoSuchFileException e) {
            return problem(Status.FAIL, WebIdentityDiagnosis.tokenFileMissing(tokenFile.toString()));
        } catch (AccessDeniedException e) {
            return problem(Status.FAIL, WebIdentityDiagnosis.tokenFileUnreadable(tokenFile.toString(),
                    "permission denied for user " + System.getProperty("user.name", "?")));
        } catch (IOException e) {
            return problem(Status.FAIL, WebIdentityDiagnosis.tokenFileUnreadable(tokenFile.toString(),
                    e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())));
        }
        if (token.isEmpty()) {
            return problem(Status.FAIL, WebIdentityDiagnosis.tokenFileEmpty(tokenFile.toString()));
        }
        WebIdentityToken claims = WebIdentityToken.parse(token).orElse(new WebIdentityToken(null, null, null, null));
        if (deadline.expired()) {
            return problem(Status.UNKNOWN, new Diagnosis("AssumeRoleWithWebIdentity was not sent: the run's deadline "
                    + "was reached", null));
        }
        try {
            return new Outcome(sts.get().assumeRoleWithWebIdentity(roleArn, sessionName, token, deadline.remaining()),
                    null);
        } catch (RuntimeException e) {
            return refused(e, claims);
        }
    }

    private Outcome refused(RuntimeException e, WebIdentityToken claims) {
        Failure f = ErrorClassifier.classify(e);
        String code = f.evidence().code();
        String message = f.evidence().message() == null ? "" : f.evidence().message();
        Diagnosis d;
        if ("AccessDenied".equals(code)) {
            Arn role = Arn.parse(roleArn).orElse(null);
            d = WebIdentityDiagnosis.notTrusted(roleArn, claims.issuer(), claims.providerPath(), claims.subject(),
                    role == null ? "ACCOUNT_ID" : role.account(), role == null ? "aws" : role.partition());
        } else if ("InvalidIdentityToken".equals(code)) {
            d = WebIdentityDiagnosis.invalidToken(message, claims.issuer(), roleArn);
        } else if ("ExpiredTokenException".equals(code) || "ExpiredToken".equals(code)) {
            d = WebIdentityDiagnosis.tokenExpired(message);
        } else {
            d = WebIdentityDiagnosis.exchangeFailed(roleArn, Diagnosis.of(f, new CallContext(
                    "sts:AssumeRoleWithWebIdentity", null, "sts", null, roleArn, null)));
        }
        Status status = e instanceof AwsServiceException ? f.kind().status() : Status.UNKNOWN;
        return new Outcome(null, new CredentialProblem(SOURCE, status, d.summary(),
                d.remediation(), f.evidence()));
    }

    private Outcome problem(Status status, Diagnosis d) {
        return new Outcome(null, new CredentialProblem(SOURCE, status, d.summary(),
                d.remediation(), null));
    }
}
