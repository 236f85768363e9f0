package io.nodeprobe.cli;

import io.nodeprobe.config.Env;
import io.nodeprobe.probe.NodeChecker;
import io.nodeprobe.report.Report;
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

    @Mixin
    TimeoutMixin deadline;

    @Override
    public Integer call() {
        Env env = Env.system();
        Report report = new NodeChecker(env, Clock.systemUTC())
                .run(NodeChecker.identityOnly(deadline.timeout()));
        output.print(spec, report);
        return report.exitCode();
    }
}
