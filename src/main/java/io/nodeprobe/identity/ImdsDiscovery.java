package io.nodeprobe.identity;

import io.nodeprobe.aws.Deadline;
import io.nodeprobe.aws.Lanes;
import io.nodeprobe.config.JsonObject;
import io.nodeprobe.diagnosis.Diagnosis;
import io.nodeprobe.diagnosis.ImdsDiagnosis;
import io.nodeprobe.report.Check;
import io.nodeprobe.report.CheckResult;
import io.nodeprobe.report.ErrorDetail;
import io.nodeprobe.report.Status;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs the IMDS side of a check: token, instance profile, role credentials, each call within the run's deadline.
 * Facts are gathered here and each answer is named by {@link ImdsDiagnosis}; whether the profile is the expected
 * one is judged by the caller.
 */
public final class ImdsDiscovery {
    /** IMDS rotates credentials well before they expire; closer than this means rotation is stuck. */
    private static final Duration EXPIRY_WARNING = Duration.ofMinutes(5);

    private final Imds imds;
    private final Clock clock;
    private final Deadline deadline;
    private final String endpoint;
    private final Lanes lanes;

    /**
     * @param clock judges the credentials' expiry: give the servers' clock (from IMDS's Date headers), so that a
     *              node clock far ahead does not call good credentials expired
     * @param lanes the run's, for the calls the token allows at once
     */
    public ImdsDiscovery(Imds imds, Clock clock, Deadline deadline, Lanes lanes) {
        this.imds = imds;
        this.lanes = lanes;
        this.clock = clock;
        this.deadline = deadline;
        this.endpoint = imds.settings().endpoint().toString();
    }

    public ImdsOutcome discover() {
        return discover(region -> { });
    }

    /**
     * @param regionHeard told IMDS's region (null when it has none) as soon as it answers, before the credentials:
     *                    what the region decides (the SDK's clients) can be built meanwhile. Not told when IMDS is
     *                    off or unreachable.
     */
    public ImdsOutcome discover(Consumer<String> regionHeard) {
        if (imds.settings().disabled()) {
            return new ImdsOutcome(skipped(Check.IMDS, ImdsDiagnosis.disabled().summary()), ImdsFacts.NONE);
        }
        List<CheckResult> checks = new ArrayList<>(3);
        Session session = openSession();
        checks.add(session.check);
        if (!session.usable) {
            checks.addAll(skipped(List.of(Check.IMDS_INSTANCE_PROFILE, Check.IMDS_CREDENTIALS),
                    ImdsDiagnosis.noSession().summary()));
            return new ImdsOutcome(checks, ImdsFacts.NONE);
        }
        // With the token, every call but the credentials document is independent: ask them all at once.
        Token token = new Token(session.token);
        CompletableFuture<String> instanceId = lanes.start(() -> optional("instance-id", token));
        CompletableFuture<String> region = lanes.start(() -> optional("placement/region", token));
        region.thenAccept(regionHeard);
        CompletableFuture<String> az = lanes.start(() -> optional("placement/availability-zone", token));
        CompletableFuture<CredentialsCheck> credentials = lanes.start(() -> credentials(token));
        ProfileCheck profile = instanceProfile(token, () -> Lanes.join(instanceId));
        checks.add(profile.check);
        CredentialsCheck creds = Lanes.join(credentials);
        checks.add(creds.check);
        return new ImdsOutcome(checks, new ImdsFacts(Lanes.join(instanceId), Lanes.join(region), Lanes.join(az),
                profile.arn, creds.role, creds.credentials));
    }

    private List<CheckResult> skipped(List<Check> which, String why) {
        return which.stream().map(c -> CheckResult.skip(c, endpoint, why)).toList();
    }

    private record Session(CheckResult check, String token, boolean usable) {
    }

    /**
     * Gets an IMDSv2 token, or decides why not. A PUT that times out while a token-less GET answers is the classic
     * container symptom: the PUT's response is dropped one hop early because HttpPutResponseHopLimit is 1.
     */
    private Session openSession() {
        long t0 = System.nanoTime();
        try {
            String token = imds.token(deadline).strip();
            return new Session(CheckResult.pass(Check.IMDS_TOKEN, endpoint, ms(t0), "IMDSv2"), token, true);
        } catch (ImdsException e) {
            if (e.kind() == ImdsException.Kind.HTTP && (e.status() >= 500 || e.status() == 429)) {
                // Busy or failing, after the client's retries: nothing is decided about tokens or IMDSv1.
                Diagnosis d = e.status() == 503 || e.status() == 429 ? ImdsDiagnosis.busy(e.getMessage())
                        : ImdsDiagnosis.callFailed(e.getMessage());
                return new Session(failed(Check.IMDS_TOKEN, Check.IMDS_TOKEN.action(), t0, Status.UNKNOWN, d,
                        evidence(e)), null, false);
            }
            return switch (e.kind()) {
                case UNREACHABLE -> new Session(failed(Check.IMDS_TOKEN, Check.IMDS_TOKEN.action(), t0,
                        Status.UNKNOWN, e.nothingThere() ? ImdsDiagnosis.unreachable(endpoint, e.getMessage())
                                : ImdsDiagnosis.callFailed(e.getMessage()), evidence(e)), null, false);
                case NOT_IMDS -> new Session(failed(Check.IMDS_TOKEN, Check.IMDS_TOKEN.action(), t0,
                        Status.UNKNOWN, ImdsDiagnosis.notImds(endpoint, e.getMessage()), evidence(e)), null, false);
                case TIMEOUT -> fallBackToV1(t0, e, ImdsDiagnosis.hopLimit());
                default -> fallBackToV1(t0, e, ImdsDiagnosis.tokenRefused(e.getMessage()));
            };
        }
    }

    /** After a failed token PUT: does a token-less GET answer, and may we use it? */
    private Session fallBackToV1(long t0, ImdsException tokenError, Diagnosis why) {
        ErrorDetail evidence = evidence(tokenError);
        String action = Check.IMDS_TOKEN.action();
        try {
            imds.get("instance-id", null, deadline);
        } catch (ImdsException getError) {
            if (tokenError.status() == 403 && tokenError.emptyBody() && getError.status() == 403
                    && getError.emptyBody()) {
                return new Session(failed(Check.IMDS_TOKEN, action, t0, Status.FAIL,
                        ImdsDiagnosis.endpointTurnedOff(null), evidence), null, false);
            }
            if (getError.kind() == ImdsException.Kind.HTTP) {
                // IMDS answers, just not without a token: IMDSv2 is required and its token cannot be had.
                return new Session(failed(Check.IMDS_TOKEN, action, t0, Status.FAIL,
                        ImdsDiagnosis.noV1Either(why, getError.status()), evidence), null, false);
            }
            boolean dropped = tokenError.kind() == ImdsException.Kind.TIMEOUT
                    && getError.kind() == ImdsException.Kind.TIMEOUT && linkLocal();
            return new Session(failed(Check.IMDS_TOKEN, action, t0, Status.UNKNOWN, ImdsDiagnosis.silent(endpoint,
                    tokenError.getMessage(), getError.getMessage(), dropped), evidence), null, false);
        }
        if (imds.settings().v1Disabled()) {
            return new Session(failed(Check.IMDS_TOKEN, action, t0, Status.FAIL, ImdsDiagnosis.v1Forbidden(why),
                    evidence), null, false);
        }
        return new Session(failed(Check.IMDS_TOKEN, action, t0, Status.WARN, ImdsDiagnosis.fellBackToV1(why),
                evidence), null, true);
    }

    private record ProfileCheck(CheckResult check, String arn) {
    }

    /** @param instanceId asked for only when there is no profile, to name the instance in the fix */
    private ProfileCheck instanceProfile(Token token, Supplier<String> instanceId) {
        Check check = Check.IMDS_INSTANCE_PROFILE;
        long t0 = System.nanoTime();
        try {
            String info = token.get("iam/info");
            Optional<JsonObject> doc = JsonObject.parse(info);
            String code = doc.flatMap(d -> d.string("Code")).orElse(null);
            if (code != null && !code.equals("Success")) {
                String message = doc.flatMap(d -> d.string("Message")).orElse(null);
                return new ProfileCheck(failed(check, check.action(), t0, Status.FAIL,
                        ImdsDiagnosis.instanceProfileCode(code, message), new ErrorDetail(200, code, null, message)),
                        null);
            }
            String arn = doc.flatMap(d -> d.string("InstanceProfileArn")).orElse(null);
            if (arn == null) {
                return new ProfileCheck(failed(check, check.action(), t0, Status.FAIL,
                        ImdsDiagnosis.malformedInstanceProfile(),
                        new ErrorDetail(200, "MalformedDocument", null, excerpt(info))), null);
            }
            return new ProfileCheck(CheckResult.pass(check, arn, ms(t0), arn), arn);
        } catch (ImdsException e) {
            return new ProfileCheck(imdsFailure(check, check.action(), t0, e,
                    ImdsDiagnosis.noInstanceProfile(instanceId.get())), null);
        }
    }

    private record CredentialsCheck(CheckResult check, String role, InstanceCredentials credentials) {
    }

    private CredentialsCheck credentials(Token token) {
        Check check = Check.IMDS_CREDENTIALS;
        long t0 = System.nanoTime();
        String role;
        try {
            role = token.get("iam/security-credentials/").strip().lines().findFirst().orElse("")
                    .strip();
        } catch (ImdsException e) {
            return new CredentialsCheck(imdsFailure(check, check.action(), t0, e, ImdsDiagnosis.noRoleCredentials()),
                    null, null);
        }
        String action = check.action() + role;
        if (role.isEmpty() || !role.matches("[\\w+=,.@-]{1,64}")) {
            return new CredentialsCheck(failed(check, action, t0, Status.FAIL, ImdsDiagnosis.invalidRoleName(),
                    new ErrorDetail(200, "MalformedDocument", null, excerpt(role))), null, null);
        }
        JsonObject doc;
        try {
            doc = JsonObject.parse(token.get("iam/security-credentials/" + role)).orElse(null);
        } catch (ImdsException e) {
            return new CredentialsCheck(imdsFailure(check, action, t0, e, ImdsDiagnosis.credentialsNotServed(role)),
                    role, null);
        }
        if (doc == null) {
            return new CredentialsCheck(failed(check, action, t0, Status.FAIL, ImdsDiagnosis.credentialsNotJson(role),
                    new ErrorDetail(200, "MalformedDocument", null, null)), role, null);
        }
        String code = doc.string("Code").orElse(null);
        if (!"Success".equals(code)) {
            return new CredentialsCheck(failed(check, action, t0, Status.FAIL,
                    ImdsDiagnosis.credentialsCodeNotSuccess(role, code),
                    new ErrorDetail(200, code, null, doc.string("Message").orElse(null))), role, null);
        }
        String ak = doc.string("AccessKeyId").orElse(null);
        String sk = doc.string("SecretAccessKey").orElse(null);
        String tk = doc.string("Token").orElse(null);
        String exp = doc.string("Expiration").orElse(null);
        Instant expiration = parseInstant(exp);
        if (ak == null || sk == null || tk == null || expiration == null) {
            return new CredentialsCheck(failed(check, action, t0, Status.FAIL,
                    ImdsDiagnosis.credentialsIncomplete(role), new ErrorDetail(200, "MalformedDocument", null, null)),
                    role, null);
        }
        Instant now = clock.instant();
        if (!expiration.isAfter(now)) {
            return new CredentialsCheck(failed(check, action, t0, Status.FAIL,
                    ImdsDiagnosis.credentialsExpired(role, exp), null), role, null);
        }
        InstanceCredentials creds = new InstanceCredentials(ak, sk, tk, expiration);
        String detail = "role " + role + ", expires " + exp;
        if (Duration.between(now, expiration).compareTo(EXPIRY_WARNING) < 0) {
            return new CredentialsCheck(failed(check, action, t0, Status.WARN,
                    ImdsDiagnosis.credentialsExpireSoon(role, exp), null).withDetail(detail), role, creds);
        }
        return new CredentialsCheck(new CheckResult(check, action, "role/" + role, Status.PASS, ms(t0), detail,
                null, null, null), role, creds);
    }

    private String optional(String path, Token token) {
        try {
            String v = token.get(path).strip();
            return v.isEmpty() || v.length() > 128 || !v.matches("[\\w.:-]+") ? null : v;
        } catch (ImdsException e) {
            return null;
        }
    }

    /**
     * The session's token, shared by the calls that run at once. EC2 answers a GET with an expired or invalid
     * token 401 and asks for a new token: the first call to meet it fetches one, once per run, and every call
     * retries with it once (aws-sdk-java-v2#5764 is a client that got this wrong).
     */
    private final class Token {
        private String current;
        private boolean renewed;

        Token(String token) {
            this.current = token;
        }

        String get(String path) throws ImdsException {
            String used = current();
            try {
                return imds.get(path, used, deadline);
            } catch (ImdsException e) {
                if (used == null || e.kind() != ImdsException.Kind.HTTP || e.status() != 401) {
                    throw e;
                }
                String fresh = renew(used);
                if (fresh == null) {
                    throw !isRenewed(used) ? e : new ImdsException(e.kind(), 401, e.getMessage()
                            + ", also with a new token");
                }
                try {
                    return imds.get(path, fresh, deadline);
                } catch (ImdsException again) {
                    throw again.status() != 401 ? again : new ImdsException(again.kind(), 401, again.getMessage()
                            + ", also with a new token");
                }
            }
        }

        private synchronized String current() {
            return current;
        }

        /** Whether {@code token} is the one fetched in place of the first. */
        private synchronized boolean isRenewed(String token) {
            return renewed && token.equals(current);
        }

        /** A new token in place of {@code stale}; null when the one renewal was spent or failed. */
        private synchronized String renew(String stale) {
            if (!current.equals(stale)) {
                return current; // another call renewed it meanwhile
            }
            if (renewed) {
                return null;
            }
            renewed = true;
            try {
                current = imds.token(deadline).strip();
                return current;
            } catch (ImdsException e) {
                return null;
            }
        }
    }

    /** EC2's own address (IPv4 or IPv6), where the link-local packet limit applies. */
    private boolean linkLocal() {
        String host = imds.settings().endpoint().getHost();
        return "169.254.169.254".equals(host) || "[fd00:ec2::254]".equals(host) || "fd00:ec2::254".equals(host);
    }

    /** 404 means "not there" (a definite answer); anything else means we could not find out. */
    private CheckResult imdsFailure(Check check, String action, long t0, ImdsException e, Diagnosis notFound) {
        if (e.kind() == ImdsException.Kind.HTTP && e.status() == 404) {
            return failed(check, action, t0, Status.FAIL, notFound, evidence(e));
        }
        if (e.kind() == ImdsException.Kind.HTTP && e.status() == 401) {
            return failed(check, action, t0, Status.FAIL, ImdsDiagnosis.tokenRejected(e.getMessage()), evidence(e));
        }
        if (e.kind() == ImdsException.Kind.HTTP && (e.status() == 503 || e.status() == 429)) {
            return failed(check, action, t0, Status.UNKNOWN, ImdsDiagnosis.busy(e.getMessage()), evidence(e));
        }
        if (e.kind() == ImdsException.Kind.NOT_IMDS) {
            return failed(check, action, t0, Status.UNKNOWN, ImdsDiagnosis.notImds(endpoint, e.getMessage()),
                    evidence(e));
        }
        Status status = e.kind() == ImdsException.Kind.HTTP && e.status() < 500 ? Status.FAIL : Status.UNKNOWN;
        return failed(check, action, t0, status, ImdsDiagnosis.callFailed(e.getMessage()), evidence(e));
    }

    private CheckResult failed(Check check, String action, long t0, Status status, Diagnosis d, ErrorDetail error) {
        return new CheckResult(check, action, endpoint, status, ms(t0), null, error, d.summary(), d.remediation());
    }

    private static ErrorDetail evidence(ImdsException e) {
        return new ErrorDetail(e.status() == 0 ? null : e.status(), e.code(), null, e.getMessage());
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

    private static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
