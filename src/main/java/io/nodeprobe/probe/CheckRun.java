package io.nodeprobe.probe;

import io.nodeprobe.aws.Deadline;
import io.nodeprobe.config.Env;
import io.nodeprobe.diagnosis.BucketArn;
import io.nodeprobe.diagnosis.Diagnosis;
import io.nodeprobe.diagnosis.IdentityDiagnosis;
import io.nodeprobe.identity.Arn;
import io.nodeprobe.identity.CallerIdentity;
import io.nodeprobe.identity.CallerIdentityCheck;
import io.nodeprobe.identity.CredentialResolver;
import io.nodeprobe.identity.Imds;
import io.nodeprobe.identity.ImdsDiscovery;
import io.nodeprobe.identity.ImdsFacts;
import io.nodeprobe.identity.ImdsOutcome;
import io.nodeprobe.identity.ResolvedCredentials;
import io.nodeprobe.report.Check;
import io.nodeprobe.report.CheckResult;
import io.nodeprobe.report.IdentityInfo;
import io.nodeprobe.report.NodeInfo;
import io.nodeprobe.report.Report;
import io.nodeprobe.report.Status;
import io.nodeprobe.report.TargetInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One run in progress: the engine's steps, and what they found so far. The steps run on the run's own thread; the
 * report may be taken from another while they are still going (the deadline passed), so what was found is kept
 * under this object's lock, and nothing found after the report was taken changes it.
 */
final class CheckRun {
    /** Used only when neither flags, environment nor IMDS name a region. */
    static final String FALLBACK_REGION = "us-east-1";

    private final Env env;
    private final Imds imds;
    private final Cloud cloud;
    private final Clock clock;
    private final RunOptions options;
    private final Deadline deadline;
    private final Instant startedAt;
    private final long t0 = System.nanoTime();

    private final Map<Check, CheckResult> found = new EnumMap<>(Check.class);
    private ImdsFacts facts = ImdsFacts.NONE;
    private CallerIdentity caller;
    private ResolvedCredentials credentials;
    private TargetInfo target;
    private Report reported;

    CheckRun(Env env, Imds imds, Cloud cloud, Clock clock, RunOptions options, Deadline deadline) {
        this.env = env;
        this.imds = imds;
        this.cloud = cloud;
        this.clock = clock;
        this.options = options;
        this.deadline = deadline;
        this.startedAt = clock.instant();
    }

    void execute() {
        ImdsOutcome outcome = new ImdsDiscovery(imds, clock, deadline).discover();
        List<CheckResult> imdsChecks = new ArrayList<>(outcome.checks());
        ProfileExpectation.apply(imdsChecks, outcome.facts(), options.expectedInstanceProfile());
        ImdsFacts f = outcome.facts();
        String region = Optional.ofNullable(options.target() == null ? null : options.target().region())
                .or(() -> Optional.ofNullable(f.region())).orElse(FALLBACK_REGION);
        synchronized (this) {
            facts = f;
            imdsChecks.forEach(this::addLocked);
            if (options.target() != null) {
                target = new TargetInfo(options.target().bucket(), options.target().prefix(), region);
            }
        }

        CredentialResolver.Resolution resolution = new CredentialResolver(env).resolve(f.credentials(), deadline);
        if (resolution.credentials().isEmpty()) {
            withoutCredentials(imdsChecks, resolution.problems(), region);
            return;
        }
        ResolvedCredentials creds = resolution.credentials().get();
        synchronized (this) {
            credentials = creds;
        }
        try (Cloud.Connection connection = cloud.connect(region, creds.provider())) {
            CallerIdentityCheck.Outcome who = new CallerIdentityCheck().run(connection.sts(), deadline,
                    creds.source(), resolution.problems(), f.roleName());
            synchronized (this) {
                caller = who.identity();
            }
            add(who.check());
            if (options.target() != null) {
                String role = caller != null && caller.role() != null ? caller.role() : f.roleName();
                String roleArn = caller != null ? caller.roleArn() : null;
                String account = caller != null ? caller.account() : null;
                BucketArn arn = bucketArn(region);
                BucketProbe.Findings findings = new BucketProbe(connection.bucket(options.target().bucket()), arn,
                        options.target().prefix(), region, new ProbeKeys(options.target().prefix(), nodeName(f)),
                        new BucketProbe.Principal(role, roleArn, account), deadline, clock)
                        .run(options.readOnly(), this::add);
                synchronized (this) {
                    target = target.withFindings(findings.bucketOwner(), findings.encryption(), findings.kmsKeyId());
                }
            }
        }
    }

    /**
     * No credentials anywhere. When IMDS already explains why (unreachable, no profile) the rest is skipped;
     * otherwise "no credentials" is itself the failure.
     */
    private void withoutCredentials(List<CheckResult> imdsChecks, List<String> problems, String region) {
        boolean explained = problems.isEmpty() && imdsChecks.stream()
                .anyMatch(c -> c.status() == Status.FAIL || c.status() == Status.UNKNOWN);
        String why = "no credentials" + (explained ? " (see the IMDS checks)" : "");
        Check sts = Check.STS_CALLER_IDENTITY;
        if (explained) {
            add(CheckResult.skip(sts, "sts", why));
        } else {
            Diagnosis d = IdentityDiagnosis.noCredentials(problems);
            add(new CheckResult(sts, sts.action(), "sts", Status.FAIL, 0, null, null, d.summary(), d.remediation()));
        }
        if (options.target() != null) {
            BucketProbe.skipped(bucketArn(region), why).forEach(this::add);
        }
    }

    /** In the caller's partition once STS has said it, else in the region's. */
    private BucketArn bucketArn(String region) {
        String partition;
        synchronized (this) {
            partition = caller != null && caller.partition() != null ? caller.partition() : Arn.partitionOf(region);
        }
        return new BucketArn(partition, options.target().bucket());
    }

    /** The instance id names the probe folder; off EC2, the host name does. */
    private String nodeName(ImdsFacts f) {
        if (f.instanceId() != null) {
            return f.instanceId();
        }
        return env.get("HOSTNAME").orElseGet(() -> {
            try {
                return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            } catch (java.io.IOException | RuntimeException e) {
                return "unknown-node";
            }
        });
    }

    private synchronized void add(CheckResult c) {
        addLocked(c);
    }

    private void addLocked(CheckResult c) {
        if (reported == null) {
            found.put(c.check(), c);
        }
    }

    /**
     * The report of what was found; taken once, later findings are ignored. Checks the run never reached are
     * unknown: cut off by the deadline, or, with {@code failure}, by what stopped the run.
     */
    synchronized Report report(String failure) {
        if (reported != null) {
            return reported;
        }
        List<CheckResult> checks = new ArrayList<>();
        long deadlineMs = deadline.total().toMillis();
        for (Check c : Check.planned(options.target() != null)) {
            CheckResult r = found.get(c);
            if (r == null) {
                r = failure == null ? CheckResult.deadlineReached(c, resourceOf(c), deadlineMs)
                        : new CheckResult(c, c.action(), resourceOf(c), Status.UNKNOWN, 0, null, null,
                        "not run: the run stopped early (" + failure + ")", null);
            }
            checks.add(r);
        }
        IdentityInfo identity = new IdentityInfo(
                caller != null ? caller.account() : null,
                caller != null ? caller.arn() : null,
                caller != null && caller.role() != null ? caller.role() : facts.roleName(),
                caller != null ? caller.roleArn() : null,
                facts.instanceProfileArn(),
                credentials != null ? credentials.source().word() : null,
                credentials != null ? credentials.expiresAt() : null);
        NodeInfo node = new NodeInfo(facts.instanceId(), facts.region(), facts.availabilityZone());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        reported = failure == null ? Report.of(node, identity, target, checks, startedAt, ms)
                : Report.aborted(node, identity, target, checks, startedAt, ms, failure);
        return reported;
    }

    private String resourceOf(Check c) {
        return switch (c.scope()) {
            case IMDS -> imds.settings().endpoint().toString();
            case STS -> "sts";
            case BUCKET, OBJECT -> {
                BucketArn arn = new BucketArn(Arn.partitionOf(target == null ? null : target.region()),
                        options.target().bucket());
                yield c.scope() == Check.Scope.BUCKET ? arn.toString() : arn.objects();
            }
        };
    }
}
