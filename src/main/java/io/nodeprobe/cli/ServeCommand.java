package io.nodeprobe.cli;

import io.nodeprobe.config.ConfigException;
import io.nodeprobe.config.Durations;
import io.nodeprobe.config.Env;
import io.nodeprobe.config.Target;
import io.nodeprobe.config.TargetResolver;
import io.nodeprobe.health.CheckScheduler;
import io.nodeprobe.health.HealthServer;
import io.nodeprobe.probe.NodeChecker;
import io.nodeprobe.probe.RunOptions;
import io.nodeprobe.report.EventLog;
import io.nodeprobe.report.ExitCode;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import sun.misc.Signal;

@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Re-run the check every interval and serve the latest result (health, metrics, HTML).",
                "GET /health (200 pass, 503 fail/unknown/starting), /health/live, /health/ready, /metrics "
                        + "(Prometheus), / (HTML); POST /refresh for a new run (at most one per 10s)."})
public class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    TargetMixin target;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Address to bind (default: ${DEFAULT-VALUE}; the report names the account and role, so "
                    + "expose it with 0.0.0.0 deliberately).")
    String host;

    @Option(names = "--port", defaultValue = "9464", description = "Port (default: ${DEFAULT-VALUE}; 0 picks one).")
    int port;

    @Option(names = "--interval", paramLabel = "DURATION", defaultValue = "60s",
            description = "Time between runs, jittered by ±10%% (default: ${DEFAULT-VALUE}, at least 5s).")
    String interval;

    @Mixin
    TimeoutMixin deadline;

    @Mixin
    ProbeMixin probe;

    @Override
    public Integer call() throws InterruptedException {
        Env env = Env.system();
        Target t = new TargetResolver(env).resolve(target.options());
        Duration every = Durations.parse("--interval", interval);
        if (every.compareTo(Duration.ofSeconds(5)) < 0) {
            throw new ConfigException("--interval must be at least 5s");
        }
        if (port < 0 || port > 65535) {
            throw new ConfigException("--port must be from 0 to 65535");
        }
        Duration timeout = deadline.timeout();
        RunOptions options = new RunOptions(t, probe.readOnly(), timeout, null);
        NodeChecker checker = new NodeChecker(env, Clock.systemUTC());
        EventLog log = probe.log(spec);
        Duration runLimit = runLimit(timeout);
        CheckScheduler scheduler = new CheckScheduler(() -> checker.run(options), log::run,
                new CheckScheduler.Timing(every, staleAfter(every, runLimit), CheckScheduler.REFRESH_LIMIT),
                Clock.systemUTC(), VersionProvider.version(), VersionProvider.mode());

        CountDownLatch stop = new CountDownLatch(1);
        // Our own handlers, so SIGTERM is a clean stop with exit 0 rather than the JVM's 143.
        Signal.handle(new Signal("TERM"), s -> stop.countDown());
        Signal.handle(new Signal("INT"), s -> stop.countDown());

        HealthServer server;
        try {
            server = new HealthServer(host, port, scheduler, runLimit);
        } catch (IOException | RuntimeException e) {
            throw new ConfigException("cannot listen on " + host + ":" + port + ": " + e.getMessage());
        }
        scheduler.start();
        log.event("info", "serve", "listening on http://" + host + ":" + server.port() + " (interval "
                + Durations.format(every) + ")");
        stop.await();
        log.event("info", "serve", "stopping");
        server.close();
        // A run in flight may have put its probe object: let it finish (it ends within its deadline) and delete it.
        scheduler.close();
        scheduler.awaitInFlight(runLimit);
        return ExitCode.OK;
    }

    /** A run ends within its deadline plus a grace; a refresh, or a stop, waits no longer than that for it. */
    static Duration runLimit(Duration timeout) {
        return timeout.plus(NodeChecker.GRACE).plusMillis(250);
    }

    /**
     * No ended run for 3 intervals makes the result stale; a run may take its whole deadline, so never less than
     * one jittered interval plus that, or a slow but working node would flap.
     */
    static Duration staleAfter(Duration interval, Duration runLimit) {
        Duration threeIntervals = interval.multipliedBy(3);
        Duration slowRun = interval.multipliedBy(11).dividedBy(10).plus(runLimit);
        return threeIntervals.compareTo(slowRun) >= 0 ? threeIntervals : slowRun;
    }
}
