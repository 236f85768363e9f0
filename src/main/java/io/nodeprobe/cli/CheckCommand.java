package io.nodeprobe.cli;

import io.nodeprobe.config.Durations;
import io.nodeprobe.config.Env;
import io.nodeprobe.config.Target;
import io.nodeprobe.config.TargetResolver;
import io.nodeprobe.probe.NodeChecker;
import io.nodeprobe.probe.RunOptions;
import io.nodeprobe.report.Report;
import io.nodeprobe.report.ReportRenderer;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "check", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Check identity (IMDS, STS) and list/put/get/delete on the bucket; print a report.")
public class CheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    TargetMixin target;

    @Mixin
    OutputMixin output;

    @Option(names = "--read-only", description = "Only list: skip put, get and delete.")
    boolean readOnly;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "15s",
            description = "Deadline for the whole run (default: ${DEFAULT-VALUE}).")
    String timeout;

    @Override
    public Integer call() {
        Env env = Env.system();
        Target t = new TargetResolver(env).resolve(target.options());
        RunOptions options = new RunOptions(t, readOnly, Durations.parse("--timeout", timeout), null);
        Report report = new NodeChecker(env, Clock.systemUTC()).run(options);
        spec.commandLine().getOut().print(ReportRenderer.forFormat(output.format(), OutputMixin.colour())
                .render(report));
        spec.commandLine().getOut().flush();
        return report.exitCode();
    }
}
