package io.nodeprobe.cli;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine.Command;

@TopCommand
@Command(name = "nodeprobe", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Can this node, with the IAM role it really has, use its S3 bucket?",
        subcommands = {CheckCommand.class, IdentityCommand.class, PolicyCommand.class, ServeCommand.class},
        footer = {"", "Exit codes: 0 pass (warnings allowed), 1 a check failed, 2 usage or configuration error, "
                + "3 could not decide (network, timeouts, throttling, server errors)."})
public class NodeprobeCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** A bare "nodeprobe" is a usage error: say what the commands are instead of guessing one. */
    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing command (check, identity, policy, serve)");
    }
}
