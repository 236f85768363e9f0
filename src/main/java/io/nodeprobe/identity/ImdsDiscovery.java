package io.nodeprobe.identity;

import io.nodeprobe.config.JsonObject;
import io.nodeprobe.report.CheckName;
import io.nodeprobe.report.CheckResult;
import io.nodeprobe.report.ErrorDetail;
import io.nodeprobe.report.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the IMDS side of a check: token, instance profile, role credentials. Facts are gathered here; whether the
 * profile is the expected one is judged by the caller.
 */
public final class ImdsDiscovery {
    /** IMDS rotates credentials well before they expire; closer than this means rotation is stuck. */
    private static final Duration EXPIRY_WARNING = Duration.ofMinutes(5);

    private final ImdsClient client;
    private final Clock clock;

    public ImdsDiscovery(ImdsClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    public ImdsOutcome discover() {
        List<CheckResult> checks = new ArrayList<>(3);
        String endpoint = client.settings().endpoint().toString();
        if (client.settings().disabled()) {
            String why = "IMDS disabled by AWS_EC2_METADATA_DISABLED";
            checks.add(CheckResult.skip(CheckName.IMDS_TOKEN, "PUT /latest/api/token", endpoint, why));
            checks.add(CheckResult.skip(CheckName.IMDS_INSTANCE_PROFILE, "GET iam/info", endpoint, why));
            checks.add(CheckResult.skip(CheckName.IMDS_CREDENTIALS, "GET iam/security-credentials/", endpoint, why));
            return new ImdsOutcome(checks, ImdsFacts.NONE);
        }
        Session session = openSession(endpoint);
        checks.add(session.check);
        if (!session.usable) {
            String why = "no IMDS session (see imds.token)";
            checks.add(CheckResult.skip(CheckName.IMDS_INSTANCE_PROFILE, "GET iam/info", endpoint, why));
            checks.add(CheckResult.skip(CheckName.IMDS_CREDENTIALS, "GET iam/security-credentials/", endpoint, why));
            return new ImdsOutcome(checks, ImdsFacts.NONE);
        }
        String instanceId = optional("instance-id", session.token);
        String region = optional("placement/region", session.token);
        String az = optional("placement/availability-zone", session.token);

        long t0 = System.nanoTime();
        String profileArn = null;
        try {
            String info = client.get("iam/info", session.token);
            JsonObject doc = JsonObject.parse(info).orElse(null);
            profileArn = doc == null ? null : doc.string("InstanceProfileArn").orElse(null);
            if (profileArn == null) {
                checks.add(failed(CheckName.IMDS_INSTANCE_PROFILE, "GET iam/info", endpoint, t0, Status.FAIL,
                        "IMDS answered iam/info with something that is not an instance profile document", null,
                        new ErrorDetail(200, "MalformedDocument", null, excerpt(info))));
            } else {
                checks.add(CheckResult.pass(CheckName.IMDS_INSTANCE_PROFILE, "GET iam/info", profileArn, ms(t0),
                        profileArn));
            }
        } catch (ImdsException e) {
            checks.add(imdsFailure(CheckName.IMDS_INSTANCE_PROFILE, "GET iam/info", endpoint, t0, e,
                    "no instance profile is attached to this instance",
                    "attach one: aws ec2 associate-iam-instance-profile --instance-id " + or(instanceId, "ID")
                            + " --iam-instance-profile Name=PROFILE (on Anyscale: the cloud's instance profile, or "
                            + "the compute config's IamInstanceProfile)"));
        }

        CredentialsCheck creds = credentials(endpoint, session.token);
        checks.add(creds.check);
        return new ImdsOutcome(checks, new ImdsFacts(instanceId, region, az, profileArn, creds.role,
                creds.credentials, creds.expiration));
    }

    private record Session(CheckResult check, String token, boolean usable) {
    }

    /**
     * Gets an IMDSv2 token, or decides why not. A PUT that times out while a token-less GET answers is the classic
     * container symptom: the PUT's response is dropped one hop early because HttpPutResponseHopLimit is 1.
     */
    private Session openSession(String endpoint) {
        String action = "PUT /latest/api/token";
        long t0 = System.nanoTime();
        try {
            String token = client.fetchToken().strip();
            return new Session(CheckResult.pass(CheckName.IMDS_TOKEN, action, endpoint, ms(t0), "IMDSv2"), token, true);
        } catch (ImdsException e) {
            if (e.kind() == ImdsException.Kind.UNREACHABLE) {
                return new Session(failed(CheckName.IMDS_TOKEN, action, endpoint, t0, Status.UNKNOWN,
                        "IMDS is unreachable at " + endpoint + ": not an EC2 instance, or IMDS is disabled or "
                                + "blocked for this process",
                        "on EC2 check the instance's metadata options (HttpEndpoint=enabled); off EC2 set "
                                + "AWS_EC2_METADATA_DISABLED=true and provide credentials another way",
                        evidence(e)), null, false);
            }
            if (e.kind() == ImdsException.Kind.TIMEOUT) {
                return fallBackToV1(endpoint, action, t0, e,
                        "hop limit too low: the IMDSv2 token PUT timed out while a plain GET answers "
                                + "(containers need HttpPutResponseHopLimit >= 2)",
                        "aws ec2 modify-instance-metadata-options --instance-id ID --http-put-response-hop-limit 2 "
                                + "--http-endpoint enabled (in a launch template: MetadataOptions.HttpPutResponseHopLimit=2)");
            }
            // 403: a proxy header such as X-Forwarded-For, or IMDS turned off; 404/405: an IMDS without v2.
            return fallBackToV1(endpoint, action, t0, e, "IMDS refused the token request (" + e.getMessage() + ")",
                    null);
        }
    }

    /** After a failed token PUT: does a token-less GET answer, and may we use it? */
    private Session fallBackToV1(String endpoint, String action, long t0, ImdsException tokenError, String why,
                                 String remediation) {
        ErrorDetail evidence = evidence(tokenError);
        try {
            client.get("instance-id", null);
        } catch (ImdsException getError) {
            if (getError.kind() == ImdsException.Kind.HTTP) {
                // IMDS answers, just not without a token: IMDSv2 is required and its token cannot be had.
                String v1 = getError.status() == 401 ? "IMDSv1 is turned off (HttpTokens=required)"
                        : "a token-less GET answers HTTP " + getError.status();
                return new Session(failed(CheckName.IMDS_TOKEN, action, endpoint, t0, Status.FAIL,
                        why + "; " + v1 + ", so no credentials can be fetched", remediation, evidence), null, false);
            }
            return new Session(failed(CheckName.IMDS_TOKEN, action, endpoint, t0, Status.UNKNOWN,
                    "IMDS does not answer at " + endpoint + " (token PUT: " + tokenError.getMessage()
                            + "; GET: " + getError.getMessage() + ")", null, evidence), null, false);
        }
        if (client.settings().v1Disabled()) {
            return new Session(failed(CheckName.IMDS_TOKEN, action, endpoint, t0, Status.FAIL,
                    why + "; IMDSv1 answers but AWS_EC2_METADATA_V1_DISABLED forbids using it", remediation,
                    evidence), null, false);
        }
        return new Session(failed(CheckName.IMDS_TOKEN, action, endpoint, t0, Status.WARN,
                why + "; fell back to IMDSv1", remediation != null ? remediation
                        : "require IMDSv2 on the instance (HttpTokens=required) once tokens work", evidence),
                null, true);
    }

    private record CredentialsCheck(CheckResult check, String role, InstanceCredentials credentials,
                                    String expiration) {
    }

    private CredentialsCheck credentials(String endpoint, String token) {
        String name = CheckName.IMDS_CREDENTIALS;
        long t0 = System.nanoTime();
        String role;
        try {
            role = client.get("iam/security-credentials/", token).strip().lines().findFirst().orElse("").strip();
        } catch (ImdsException e) {
            return new CredentialsCheck(imdsFailure(name, "GET iam/security-credentials/", endpoint, t0, e,
                    "IMDS has no role credentials for this instance: no instance profile, a profile without a "
                            + "role, or credentials not delivered yet (early after boot or after a profile change)",
                    "attach an instance profile whose role Anyscale may use; just after boot, retry with --wait"),
                    null, null, null);
        }
        String action = "GET iam/security-credentials/" + role;
        if (role.isEmpty() || !role.matches("[\\w+=,.@-]{1,64}")) {
            return new CredentialsCheck(failed(name, action, endpoint, t0, Status.FAIL,
                    "IMDS answered iam/security-credentials/ with no valid role name", null,
                    new ErrorDetail(200, "MalformedDocument", null, excerpt(role))), null, null, null);
        }
        JsonObject doc;
        try {
            doc = JsonObject.parse(client.get("iam/security-credentials/" + role, token)).orElse(null);
        } catch (ImdsException e) {
            return new CredentialsCheck(imdsFailure(name, action, endpoint, t0, e,
                    "IMDS lists role " + role + " but does not serve its credentials", null), role, null, null);
        }
        if (doc == null) {
            return new CredentialsCheck(failed(name, action, endpoint, t0, Status.FAIL,
                    "the credentials document for role " + role + " is not JSON", null,
                    new ErrorDetail(200, "MalformedDocument", null, null)), role, null, null);
        }
        String code = doc.string("Code").orElse(null);
        if (!"Success".equals(code)) {
            String msg = doc.string("Message").orElse(null);
            return new CredentialsCheck(failed(name, action, endpoint, t0, Status.FAIL,
                    "IMDS could not get credentials for role " + role + " (Code " + code + "): often the role's "
                            + "trust policy does not allow ec2.amazonaws.com",
                    "the role's trust policy must allow Principal {\"Service\":\"ec2.amazonaws.com\"} sts:AssumeRole",
                    new ErrorDetail(200, code, null, msg)), role, null, null);
        }
        String ak = doc.string("AccessKeyId").orElse(null);
        String sk = doc.string("SecretAccessKey").orElse(null);
        String tk = doc.string("Token").orElse(null);
        String exp = doc.string("Expiration").orElse(null);
        Instant expiration = parseInstant(exp);
        if (ak == null || sk == null || tk == null || expiration == null) {
            return new CredentialsCheck(failed(name, action, endpoint, t0, Status.FAIL,
                    "the credentials document for role " + role + " lacks AccessKeyId, SecretAccessKey, Token or "
                            + "a valid Expiration", null, new ErrorDetail(200, "MalformedDocument", null, null)),
                    role, null, null);
        }
        Instant now = clock.instant();
        if (!expiration.isAfter(now)) {
            // The SDK would keep using these (static stability); we say so instead of failing later and vaguely.
            return new CredentialsCheck(failed(name, action, endpoint, t0, Status.FAIL,
                    "IMDS serves credentials for role " + role + " that expired at " + exp
                            + ": credential rotation on this instance is stuck",
                    "check the instance's clock and IMDS health; re-associating the instance profile forces new "
                            + "credentials", null), role, null, exp);
        }
        InstanceCredentials creds = new InstanceCredentials(ak, sk, tk, expiration);
        String detail = "role " + role + ", expires " + exp;
        if (Duration.between(now, expiration).compareTo(EXPIRY_WARNING) < 0) {
            return new CredentialsCheck(failed(name, action, endpoint, t0, Status.WARN,
                    "credentials for role " + role + " expire in less than 5 minutes (" + exp + ")", null, null)
                    .withDetail(detail), role, creds, exp);
        }
        return new CredentialsCheck(CheckResult.pass(name, action, "role/" + role, ms(t0), detail), role, creds, exp);
    }

    private String optional(String path, String token) {
        try {
            String v = client.get(path, token).strip();
            return v.isEmpty() || v.length() > 128 || !v.matches("[\\w.:-]+") ? null : v;
        } catch (ImdsException e) {
            return null;
        }
    }

    /** 404 means "not there" (a definite answer); anything else means we could not find out. */
    private static CheckResult imdsFailure(String name, String action, String resource, long t0, ImdsException e,
                                           String notFoundDiagnosis, String notFoundRemediation) {
        if (e.kind() == ImdsException.Kind.HTTP && e.status() == 404) {
            return failed(name, action, resource, t0, Status.FAIL, notFoundDiagnosis, notFoundRemediation,
                    evidence(e));
        }
        Status status = e.kind() == ImdsException.Kind.HTTP && e.status() < 500 ? Status.FAIL : Status.UNKNOWN;
        return failed(name, action, resource, t0, status, "IMDS call failed: " + e.getMessage(), null, evidence(e));
    }

    private static CheckResult failed(String name, String action, String resource, long t0, Status status,
                                      String diagnosis, String remediation, ErrorDetail error) {
        return new CheckResult(name, action, resource, status, ms(t0), null, error, diagnosis, remediation);
    }

    private static ErrorDetail evidence(ImdsException e) {
        return new ErrorDetail(e.status() == 0 ? null : e.status(), e.kind().name(), null, e.getMessage());
    }

    private static Instant parseInstant(String s) {
        try {
            return s == null ? null : Instant.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String excerpt(String s) {
        String one = s == null ? "" : s.replaceAll("\\s+", " ").strip();
        return one.length() > 80 ? one.substring(0, 80) + "..." : one;
    }

    private static String or(String s, String d) {
        return s == null ? d : s;
    }

    static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
