package io.nodeprobe.cli;

import io.nodeprobe.config.ConfigException;
import io.nodeprobe.report.ExitCode;
import picocli.CommandLine;

/**
 * The command line and its error handling: errors in one line, never a stack trace. Usage and configuration
 * errors exit 2 with a pointer to --help; anything unexpected exits 3 ("could not decide"), since a bug in the
 * agent says nothing about the bucket.
 *
 * <p>The model (every command, option and mixin, found by reflection on their annotations) is built once, when this
 * class is initialised: in the native executable that is while the image is built (application.properties), so a
 * run starts with it ready instead of spending about 4 ms of reflection on it (measured with perf). It holds no
 * stream and no value from the build machine: picocli opens stdout and stderr when first asked, and options get
 * their values when the arguments are parsed. One process parses one command line, so the one model suffices.
 */
public final class CliConfiguration {
    private static final CommandLine MODEL = configure(new CommandLine(new NodeprobeCommand()));

    private CliConfiguration() {
    }

    /** The command line of this process. */
    static CommandLine commandLine() {
        return MODEL;
    }

    private static CommandLine configure(CommandLine commandLine) {
        return commandLine
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
