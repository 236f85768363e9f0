package io.nodeprobe.cli;

import io.nodeprobe.config.Durations;
import io.nodeprobe.config.Env;
import io.nodeprobe.config.ExpectedProfile;
import io.nodeprobe.config.Target;
import io.nodeprobe.config.TargetResolver;
import io.nodeprobe.aws.Backoff;
import io.nodeprobe.probe.CheckLoop;
import io.nodeprobe.probe.NodeChecker;
import io.nodeprobe.probe.RunOptions;
import io.nodeprobe.report.EventLog;
import io.nodeprobe.report.ExitCode;
import io.nodeprobe.report.Report;
import io.nodeprobe.report.ReportFile;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "check", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Check identity (IMDS, STS) and every S3 action the bucket needs (list, location, put, get, "
                + "delete, multipart); print a report.")
public class CheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    TargetMixin target;

    @Mixin
    OutputMixin output;

    @Mixin
    ProbeMixin probe;

    @Mixin
    TimeoutMixin deadline;

    @Option(names = "--wait", paramLabel = "DURATION",
            description = "Retry with backoff (1s doubling to 15s, jittered) while the check fails or cannot decide, "
                    + "up to DURATION; exit with the last attempt's code.")
    String wait;

    @Option(names = "--warn-only", description = "Report and log, but always exit 0 (for init scripts whose "
            + "failure would terminate the node).")
    boolean warnOnly;

    @Option(names = "--strict", description = "Fail (exit 1) on warnings too: actions beyond Anyscale's minimum "
            + "role policy, shadowed credentials, an IMDSv1 fallback.")
    boolean strict;

    @Option(names = "--output", paramLabel = "FILE",
            description = "Also write the JSON report to FILE, atomically (after every attempt).")
    Path outputFile;

    @Option(names = "--expected-instance-profile", paramLabel = "ARN",
            description = "Fail imds.instance-profile unless the node runs with this instance profile.")
    String expectedProfile;

    @Option(names = "--compute-config", paramLabel = "FILE",
            description = "Read the expected instance profile from a compute config's IamInstanceProfile.Arn.")
    Path computeConfig;

    @Override
    public Integer call() throws InterruptedException {
        // Flags first, then the environment: a typo in a flag is the likelier mistake and the one to report.
        Duration perAttempt = deadline.timeout();
        Duration waitFor = wait == null ? null : Durations.parse("--wait", wait);
        Env env = Env.system();
        Target t = new TargetResolver(env).resolve(target.options());
        String expected = ExpectedProfile.resolve(expectedProfile, computeConfig);
        NodeChecker checker = new NodeChecker(env, Clock.systemUTC());

        boolean logging = waitFor != null || warnOnly || outputFile != null || probe.logFormatGiven();
        EventLog log = probe.log(spec);
        CheckLoop loop = new CheckLoop(Backoff.BOOT, (n, elapsed, report, next) -> {
            writeOutput(report, log);
            if (logging) {
                log.attempt(n, elapsed, report, next);
            }
        }, strict);
        Report report = loop.run(budget -> checker.run(new RunOptions(t, probe.readOnly(), budget, expected)), perAttempt,
                waitFor);
        output.print(spec, report);
        if (strict && report.exitCode(true) != report.exitCode()) {
            // The report states the verdict's own exit code; say why the process's differs.
            spec.commandLine().getErr().println("nodeprobe: --strict: the warnings above fail the check (exit "
                    + report.exitCode(true) + ")");
        }
        return warnOnly ? ExitCode.OK : report.exitCode(strict);
    }

    private void writeOutput(Report report, EventLog log) {
        if (outputFile == null) {
            return;
        }
        try {
            ReportFile.write(outputFile, report);
        } catch (IOException e) {
            // The verdict still reaches stdout and the exit code; a full disk must not hide it.
            log.event("error", "output", "cannot write " + outputFile + ": " + e.getMessage());
        }
    }
}
