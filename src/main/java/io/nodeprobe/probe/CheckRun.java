package io.nodeprobe.probe;

import io.nodeprobe.aws.Deadline;
import io.nodeprobe.aws.Lanes;
import io.nodeprobe.clock.ClockCheck;
import io.nodeprobe.clock.ClockOffset;
import io.nodeprobe.clock.ServerDates;
import io.nodeprobe.config.Env;
import io.nodeprobe.diagnosis.BucketArn;
import io.nodeprobe.diagnosis.Diagnosis;
import io.nodeprobe.diagnosis.IdentityDiagnosis;
import io.nodeprobe.identity.Arn;
import io.nodeprobe.identity.CallerIdentity;
import io.nodeprobe.identity.CallerIdentityCheck;
import io.nodeprobe.identity.CredentialProblem;
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
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * One run in progress: the engine's steps, and what they found so far. The steps run on the run's own thread and
 * its {@link Lanes}; the report may be taken from another while they are still going (the deadline passed), so what
 * was found is kept under this object's lock, and nothing found after the report was taken changes it.
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
    private final ServerDates dates;

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
        this.dates = new ServerDates(clock);
    }

    /**
     * IMDS first (its token, then its independent calls together); with credentials, STS and the bucket probes side
     * by side. The SDK's clients are built while IMDS is still answering: at once when the region is known without
     * IMDS, else as soon as IMDS names it.
     */
    void execute() {
        String knownRegion = options.target() == null ? null : options.target().region();
        LaterCredentials later = new LaterCredentials();
        try (Lanes lanes = new Lanes("run")) {
            CompletableFuture<String> earlyRegion = new CompletableFuture<>();
            CompletableFuture<Cloud.Connection> early = earlyRegion.thenApplyAsync(
                    r -> r == null ? null : cloud.connect(r, later, dates), lanes.executor());
            if (knownRegion != null) {
                earlyRegion.complete(knownRegion);
            }
            try {
                ImdsOutcome outcome = new ImdsDiscovery(imds.heardBy(dates), dates.serverClock(), deadline, lanes).discover(
                        heard -> earlyRegion.complete(heard != null ? heard : FALLBACK_REGION));
                List<CheckResult> imdsChecks = new ArrayList<>(outcome.checks());
                ProfileExpectation.apply(imdsChecks, outcome.facts(), options.expectedInstanceProfile());
                ImdsFacts f = outcome.facts();
                String region = Optional.ofNullable(knownRegion).or(() -> Optional.ofNullable(f.region()))
                        .orElse(FALLBACK_REGION);
                String regionSource = knownRegion != null ? options.target().regionSource()
                        : f.region() != null ? "imds" : "default";
                synchronized (this) {
                    facts = f;
                    imdsChecks.forEach(this::addLocked);
                    if (options.target() != null) {
                        target = new TargetInfo(options.target().bucket(), options.target().prefix(), region,
                                regionSource);
                    }
                }
                // The region heard early is this one by construction (flag, else IMDS, else the fallback); when
                // IMDS never named one, this starts the build (web identity needs the STS client).
                earlyRegion.complete(region);
                CredentialResolver.Resolution resolution = new CredentialResolver(env).resolve(f.credentials(),
                        deadline, () -> Lanes.join(early).sts());
                if (resolution.otherSourceMeant()) {
                    imdsChecks = notUsed(imdsChecks, resolution);
                }
                if (resolution.credentials().isEmpty()) {
                    withoutCredentials(imdsChecks, resolution.problems(), region);
                    return;
                }
                ResolvedCredentials creds = resolution.credentials().get();
                synchronized (this) {
                    credentials = creds;
                }
                later.complete(creds.provider());
                withCredentials(lanes, Lanes.join(early), f, region, regionSource, creds, resolution.summaries());
            } finally {
                earlyRegion.complete(null); // no region will be heard now: nothing is built after this
                early.thenAccept(c -> {
                    if (c != null) {
                        c.close();
                    }
                });
            }
        }
    }

    private void withCredentials(Lanes lanes, Cloud.Connection connection, ImdsFacts f, String region,
                                 String regionSource,
                                 ResolvedCredentials creds, List<String> problems) {
        CompletableFuture<CallerIdentity> who = lanes.start(() -> {
            CallerIdentityCheck.Outcome o = new CallerIdentityCheck().run(connection.sts(), deadline, creds.source(),
                    problems, f.roleName());
            synchronized (this) {
                caller = o.identity();
            }
            add(o.check());
            return o.identity();
        });
        if (options.target() != null) {
            // Who is calling matters to the probes only for a diagnosis or the owner test: they wait for STS then.
            Supplier<BucketProbe.Principal> principal = () -> {
                CallerIdentity c = Lanes.join(who);
                return new BucketProbe.Principal(c != null && c.role() != null ? c.role() : f.roleName(),
                        c != null ? c.roleArn() : null, c != null ? c.account() : null);
            };
            BucketProbe.Findings findings = new BucketProbe(connection.bucket(options.target().bucket()),
                    bucketArn(region), options.target().prefix(), region, regionSource,
                    new ProbeKeys(options.target().prefix(), nodeName(f)), principal, deadline, clock, lanes)
                    .run(options.readOnly(), this::add);
            synchronized (this) {
                target = target.withFindings(findings.bucketRegion(), findings.bucketOwner(), findings.encryption(),
                        findings.kmsKeyId());
            }
        }
        Lanes.join(who);
    }

    /**
     * The credentials the clients sign with, given once they are resolved: the clients are built before that, and
     * send nothing until then.
     */
    private static final class LaterCredentials implements AwsCredentialsProvider {
        private final CompletableFuture<AwsCredentialsProvider> provider = new CompletableFuture<>();

        void complete(AwsCredentialsProvider p) {
            provider.complete(p);
        }

        @Override
        public AwsCredentials resolveCredentials() {
            return Lanes.join(provider).resolveCredentials();
        }
    }

    /**
     * No credentials anywhere. When IMDS already explains why (unreachable, no profile) the rest is skipped;
     * otherwise "no credentials" is itself the failure.
     */
    private void withoutCredentials(List<CheckResult> imdsChecks, List<CredentialProblem> problems, String region) {
        boolean explained = problems.isEmpty() && imdsChecks.stream()
                .anyMatch(c -> c.status() == Status.FAIL || c.status() == Status.UNKNOWN);
        String why = "no credentials" + (explained ? " (see the IMDS checks)" : "");
        Check sts = Check.STS_CALLER_IDENTITY;
        if (explained) {
            add(CheckResult.skip(sts, "sts", why));
        } else {
            add(noCredentials(problems));
        }
        if (options.target() != null) {
            BucketProbe.skipped(bucketArn(region), why).forEach(this::add);
        }
    }

    /**
     * The failing sources' verdict: definite when any source's answer was (a denial, a missing file), else unknown.
     * A single failing source speaks for itself, with its own fix and evidence.
     */
    private static CheckResult noCredentials(List<CredentialProblem> problems) {
        Check sts = Check.STS_CALLER_IDENTITY;
        Diagnosis d = IdentityDiagnosis.noCredentials(problems.stream().map(CredentialProblem::summary).toList());
        Status status = problems.isEmpty() || problems.stream().anyMatch(p -> p.status() == Status.FAIL)
                ? Status.FAIL : Status.UNKNOWN;
        if (problems.size() == 1 && problems.get(0).remediation() != null) {
            CredentialProblem p = problems.get(0);
            return new CheckResult(sts, sts.action(), "sts", status, 0, null, p.evidence(), d.summary(),
                    p.remediation());
        }
        return new CheckResult(sts, sts.action(), "sts", status, 0, null, null, d.summary(), d.remediation());
    }

    /**
     * Credentials come (or were meant to come) from elsewhere than the instance profile: what IMDS could not do
     * decides nothing. On EKS with IRSA or Pod Identity, IMDS is out of a pod's reach by design (hop limit 1).
     * An expected instance profile is still judged: that expectation is about IMDS.
     */
    private List<CheckResult> notUsed(List<CheckResult> imdsChecks, CredentialResolver.Resolution resolution) {
        String from = resolution.credentials().map(c -> "credentials come from " + c.source().description())
                .orElseGet(() -> "credentials are meant to come from "
                        + resolution.problems().get(0).source().description());
        List<CheckResult> out = new ArrayList<>();
        for (CheckResult c : imdsChecks) {
            boolean judged = c.check() == Check.IMDS_INSTANCE_PROFILE && options.expectedInstanceProfile() != null;
            if (!judged && (c.status() == Status.FAIL || c.status() == Status.UNKNOWN)) {
                CheckResult skipped = CheckResult.skip(c.check(), c.resource(), "not used: " + from + " (IMDS: "
                        + c.diagnosis() + ")");
                out.add(skipped);
                add(skipped);
            } else {
                out.add(c);
            }
        }
        return out;
    }

    /**
     * In the region's partition: the region chooses the endpoint, so a caller of another partition could not
     * reach this bucket anyway.
     */
    private BucketArn bucketArn(String region) {
        return new BucketArn(Arn.partitionOf(region), options.target().bucket());
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
        Optional<ClockOffset> offset = dates.offset();
        found.put(Check.NODE_CLOCK, ClockCheck.judge(offset));
        for (Check c : Check.planned(options.target() != null)) {
            CheckResult r = found.get(c);
            if (r != null) {
                r = ClockCheck.explain(r, offset);
            }
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
        NodeInfo node = new NodeInfo(facts.instanceId(), facts.region(), facts.availabilityZone(),
                offset.map(ClockOffset::seconds).orElse(null));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        reported = failure == null ? Report.of(node, identity, target, checks, startedAt, ms)
                : Report.aborted(node, identity, target, checks, startedAt, ms, failure);
        return reported;
    }

    private String resourceOf(Check c) {
        return switch (c.scope()) {
            case IMDS -> imds.settings().endpoint().toString();
            case NODE -> "clock";
            case STS -> "sts";
            case BUCKET, OBJECT -> {
                BucketArn arn = new BucketArn(Arn.partitionOf(target == null ? null : target.region()),
                        options.target().bucket());
                yield c.scope() == Check.Scope.BUCKET ? arn.toString() : arn.objects();
            }
        };
    }
}
