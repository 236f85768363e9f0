package io.nodeprobe.probe;

import io.nodeprobe.aws.Deadline;
import io.nodeprobe.aws.SdkCloud;
import io.nodeprobe.config.ConfigException;
import io.nodeprobe.config.Endpoints;
import io.nodeprobe.config.Env;
import io.nodeprobe.identity.ImdsClient;
import io.nodeprobe.identity.ImdsSettings;
import io.nodeprobe.identity.Imds;
import io.nodeprobe.report.Report;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * One whole check: IMDS facts, credentials, STS identity, bucket probes, then the report. The same engine serves
 * {@code check}, {@code serve} and the tests. It never throws for a failed call, only for bad configuration, and it
 * returns within the run's deadline whatever the endpoints do: every call draws from the deadline, and a run that
 * still has not ended shortly after it is reported as far as it got.
 */
public final class NodeChecker {
    /** Past the deadline, how long a run's own calls get to notice it before the run is reported as it stands. */
    public static final Duration GRACE = Duration.ofMillis(150);

    /** The run options of {@code nodeprobe identity}: IMDS and STS only, no bucket. */
    public static RunOptions identityOnly(Duration timeout) {
        return new RunOptions(null, true, timeout, null);
    }

    private final Env env;
    private final Imds imds;
    private final Cloud cloud;
    private final Clock clock;

    /** The production engine: IMDS, STS and S3 where the environment says they are. */
    public NodeChecker(Env env, Clock clock) {
        this(env, new ImdsClient(ImdsSettings.from(env)), new SdkCloud(Endpoints.from(env)), clock);
    }

    public NodeChecker(Env env, Imds imds, Cloud cloud, Clock clock) {
        this.env = env;
        this.imds = imds;
        this.cloud = cloud;
        this.clock = clock;
    }

    /**
     * Runs one check. Throws {@link ConfigException} for configuration found bad during the run (an unreadable CA
     * bundle); anything else that goes wrong inside becomes a report whose {@code failure} names it.
     */
    public Report run(RunOptions options) {
        Deadline deadline = Deadline.in(options.timeout());
        CheckRun run = new CheckRun(env, imds, cloud, clock, options, deadline);
        try {
            deadline.call("nodeprobe-run", GRACE, () -> {
                run.execute();
                return null;
            });
            return run.report(null);
        } catch (TimeoutException e) {
            return run.report(null); // the checks not reached are reported as cut off by the deadline
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ConfigException config) {
                throw config;
            }
            return run.report(describe(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return run.report("interrupted");
        }
    }

    /** A cause in one line, for the report and the log: the type says what, the message says where. */
    public static String describe(Throwable t) {
        String m = t.getMessage() == null ? "" : ": " + t.getMessage().replaceAll("\\s+", " ").strip();
        return t.getClass().getSimpleName() + (m.length() > 300 ? m.substring(0, 300) + "..." : m);
    }
}
