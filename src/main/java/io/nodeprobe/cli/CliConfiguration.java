package io.nodeprobe.cli;

import io.nodeprobe.config.ConfigException;
import io.nodeprobe.report.ExitCode;
import io.quarkus.picocli.runtime.PicocliCommandLineFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import picocli.CommandLine;

/**
 * Errors in one line, never a stack trace: usage and configuration errors exit 2 with a pointer to --help;
 * anything unexpected exits 3 ("could not decide"), since a bug in the agent says nothing about the bucket.
 */
@ApplicationScoped
public class CliConfiguration {

    @Produces
    CommandLine commandLine(PicocliCommandLineFactory factory) {
        return factory.create()
                .setParameterExceptionHandler(CliConfiguration::usageError)
                .setExecutionExceptionHandler(CliConfiguration::executionError)
                .setExitCodeExceptionMapper(e -> e instanceof ConfigException ? ExitCode.USAGE : ExitCode.UNKNOWN);
    }

    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        cmd.getErr().println(prefix(cmd) + oneLine(e.getMessage()) + " (see '" + cmd.getCommandSpec().qualifiedName()
                + " --help')");
        cmd.getErr().flush();
        return warnOnly(args) ? ExitCode.OK : ExitCode.USAGE;
    }

    /**
     * --warn-only promises exit 0 whatever happens: an init script that exits non-zero terminates the node, and a
     * typo in its flags must not take a whole cluster down. The error is still printed.
     */
    private static boolean warnOnly(String[] args) {
        return java.util.Arrays.asList(args).contains("--warn-only");
    }

    private static int executionError(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        String[] args = parsed.originalArgs().toArray(String[]::new);
        if (e instanceof ConfigException) {
            cmd.getErr().println(prefix(cmd) + oneLine(e.getMessage()));
            cmd.getErr().flush();
            return warnOnly(args) ? ExitCode.OK : ExitCode.USAGE;
        }
        if (e instanceof CommandLine.ParameterException pe) {
            return usageError(pe, args);
        }
        cmd.getErr().println(prefix(cmd) + "internal error: " + e.getClass().getSimpleName() + ": "
                + oneLine(String.valueOf(e.getMessage())));
        if (System.getenv("NODEPROBE_DEBUG") != null) {
            e.printStackTrace(cmd.getErr());
        }
        cmd.getErr().flush();
        return warnOnly(args) ? ExitCode.OK : ExitCode.UNKNOWN;
    }

    private static String prefix(CommandLine cmd) {
        return cmd.getCommandSpec().qualifiedName() + ": error: ";
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
