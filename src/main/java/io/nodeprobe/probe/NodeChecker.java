package io.nodeprobe.probe;

import io.nodeprobe.aws.AwsClients;
import io.nodeprobe.aws.Deadline;
import io.nodeprobe.config.Endpoints;
import io.nodeprobe.config.Env;
import io.nodeprobe.identity.CallerIdentity;
import io.nodeprobe.identity.CallerIdentityCheck;
import io.nodeprobe.identity.CredentialResolver;
import io.nodeprobe.identity.ImdsClient;
import io.nodeprobe.identity.ImdsDiscovery;
import io.nodeprobe.identity.ImdsFacts;
import io.nodeprobe.identity.ImdsOutcome;
import io.nodeprobe.identity.ImdsSettings;
import io.nodeprobe.identity.ResolvedCredentials;
import io.nodeprobe.report.CheckName;
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
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * One whole check: IMDS facts, credentials, STS identity, bucket probes, then the report. The same engine serves
 * {@code check}, {@code serve} and the tests; it never throws for a failed call, only for bad configuration.
 */
public final class NodeChecker {
    /** The run options of {@code nodeprobe identity}: IMDS and STS only, no bucket. */
    public static RunOptions identityOnly(java.time.Duration timeout) {
        return new RunOptions(null, true, timeout, null);
    }

    /** Used only when neither flags, environment nor IMDS name a region. */
    static final String FALLBACK_REGION = "us-east-1";

    private final Env env;
    private final ImdsSettings imds;
    private final Endpoints endpoints;
    private final Clock clock;

    public NodeChecker(Env env, Clock clock) {
        this.env = env;
        this.imds = ImdsSettings.from(env);
        this.endpoints = Endpoints.from(env);
        this.clock = clock;
    }

    public Report run(RunOptions options) {
        Instant started = clock.instant();
        long t0 = System.nanoTime();
        Deadline deadline = Deadline.in(options.timeout());

        ImdsOutcome imdsOutcome = new ImdsDiscovery(new ImdsClient(imds), clock).discover();
        ImdsFacts facts = imdsOutcome.facts();
        List<CheckResult> checks = new ArrayList<>(imdsOutcome.checks());
        ProfileExpectation.apply(checks, facts, options.expectedInstanceProfile());

        boolean probeBucket = options.target() != null;
        String region = Optional.ofNullable(probeBucket ? options.target().region() : null)
                .or(() -> Optional.ofNullable(facts.region())).orElse(FALLBACK_REGION);
        TargetInfo target = probeBucket
                ? new TargetInfo(options.target().bucket(), options.target().prefix(), region) : null;
        Optional<ResolvedCredentials> creds = new CredentialResolver(env).resolve(facts.credentials());

        CallerIdentity caller = null;
        if (creds.isEmpty()) {
            checks.addAll(withoutCredentials(checks, target));
        } else {
            try (AwsClients clients = new AwsClients(endpoints);
                 StsClient sts = clients.sts(region, creds.get().provider());
                 S3Client s3 = clients.s3(region, creds.get().provider())) {
                CallerIdentityCheck.Outcome who = new CallerIdentityCheck().run(sts, deadline, creds.get().source(),
                        facts.roleName());
                checks.add(who.check());
                caller = who.identity();
                String role = caller != null && caller.role() != null ? caller.role() : facts.roleName();
                String roleArn = caller != null ? caller.roleArn() : null;
                if (probeBucket) {
                    ProbeKeys keys = new ProbeKeys(target.prefix(), nodeName(facts));
                    checks.addAll(new BucketProbe(s3, target.bucket(), target.prefix(), region, keys,
                            new BucketProbe.Principal(role, roleArn), deadline, clock).run(options.readOnly()));
                }
            }
        }
        IdentityInfo identity = new IdentityInfo(
                caller != null ? caller.account() : null,
                caller != null ? caller.arn() : null,
                caller != null && caller.role() != null ? caller.role() : facts.roleName(),
                facts.instanceProfileArn(),
                creds.map(c -> c.source().word()).orElse(null),
                creds.map(c -> c.expiresAt() == null ? null : c.expiresAt().toString()).orElse(null));
        NodeInfo node = new NodeInfo(facts.instanceId(), facts.region(), facts.availabilityZone());
        return Report.of(node, identity, target, checks, started, (System.nanoTime() - t0) / 1_000_000);
    }

    /**
     * No credentials anywhere. When IMDS already explains why (unreachable, no profile) the rest is skipped;
     * otherwise "no credentials" is itself the failure.
     */
    private static List<CheckResult> withoutCredentials(List<CheckResult> imdsChecks, TargetInfo target) {
        boolean explained = imdsChecks.stream().anyMatch(c -> c.status() == Status.FAIL || c.status() == Status.UNKNOWN);
        String why = "no credentials" + (explained ? " (see the IMDS checks)" : "");
        List<CheckResult> out = new ArrayList<>();
        CheckResult sts = CheckResult.skip(CheckName.STS_CALLER_IDENTITY, "sts:GetCallerIdentity", "sts", why);
        if (!explained) {
            sts = new CheckResult(sts.name(), sts.action(), sts.resource(), Status.FAIL, 0, null, null,
                    "no credentials found: no environment variables, profile, container or instance profile "
                            + "credentials", "attach an instance profile to the node, or provide credentials");
        }
        out.add(sts);
        if (target == null) {
            return out;
        }
        String arn = "arn:aws:s3:::" + target.bucket();
        out.add(CheckResult.skip(CheckName.S3_LIST, "s3:ListBucket", arn, why));
        out.add(CheckResult.skip(CheckName.S3_PUT, "s3:PutObject", arn + "/*", why));
        out.add(CheckResult.skip(CheckName.S3_GET, "s3:GetObject", arn + "/*", why));
        out.add(CheckResult.skip(CheckName.S3_DELETE, "s3:DeleteObject", arn + "/*", why));
        return out;
    }

    /** The instance id names the probe folder; off EC2, the host name does. */
    private String nodeName(ImdsFacts facts) {
        if (facts.instanceId() != null) {
            return facts.instanceId();
        }
        return env.get("HOSTNAME").orElseGet(() -> {
            try {
                return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            } catch (java.io.IOException | RuntimeException e) {
                return "unknown-node";
            }
        });
    }
}
