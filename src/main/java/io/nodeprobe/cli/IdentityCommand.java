package io.nodeprobe.cli;

import io.nodeprobe.config.Durations;
import io.nodeprobe.config.Env;
import io.nodeprobe.probe.NodeChecker;
import io.nodeprobe.report.Report;
import io.nodeprobe.report.ReportRenderer;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "identity", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Who am I: the node (IMDS), its instance profile and role, and what STS says signs the calls.")
public class IdentityCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    OutputMixin output;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "15s",
            description = "Deadline for the whole run (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Override
    public Integer call() {
        Env env = Env.system();
        Report report = new NodeChecker(env, Clock.systemUTC())
                .run(NodeChecker.identityOnly(Durations.parse("--timeout", timeout)));
        spec.commandLine().getOut().print(ReportRenderer.forFormat(output.format(), OutputMixin.colour())
                .render(report));
        spec.commandLine().getOut().flush();
        return report.exitCode();
    }
}
