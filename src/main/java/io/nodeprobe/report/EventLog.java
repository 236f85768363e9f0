package io.nodeprobe.report;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;

/**
 * One line per event on stderr, as text or as one JSON object per line (--log-format json) for log shippers.
 * Carries verdicts and check names only: reports never hold secrets, and neither do these lines.
 */
public final class EventLog {
    private final PrintWriter err;
    private final boolean json;
    private final Clock clock;

    public EventLog(PrintWriter err, boolean json, Clock clock) {
        this.err = err;
        this.json = json;
        this.clock = clock;
    }

    /** One attempt of a check: attempt number, time since the first attempt, verdict, failing checks. */
    public void attempt(int attempt, long elapsedMs, Report r, String next) {
        List<String> failing = failing(r);
        if (json) {
            JsonWriter w = new JsonWriter(false).beginObject()
                    .field("ts", clock.instant().toString())
                    .field("level", r.status().isOk() ? "info" : "warn")
                    .field("event", "check")
                    .field("attempt", attempt)
                    .field("elapsedMs", elapsedMs)
                    .field("status", r.status().word());
            w.name("failing").beginArray();
            failing.forEach(w::value);
            w.endArray().field("next", next).endObject();
            err.println(w);
        } else {
            err.println(clock.instant() + " nodeprobe check attempt " + attempt + " after " + elapsedMs + "ms: "
                    + r.status().word() + (failing.isEmpty() ? "" : " (" + String.join(", ", failing) + ")")
                    + (next == null ? "" : "; " + next));
        }
        err.flush();
    }

    /** One scheduled run of `serve`: verdict, failing checks, duration. */
    public void run(Report r) {
        List<String> failing = failing(r);
        if (json) {
            JsonWriter w = new JsonWriter(false).beginObject()
                    .field("ts", clock.instant().toString())
                    .field("level", r.status().isOk() ? "info" : "warn")
                    .field("event", "run")
                    .field("durationMs", r.durationMs())
                    .field("status", r.status().word());
            w.name("failing").beginArray();
            failing.forEach(w::value);
            err.println(w.endArray().endObject());
        } else {
            err.println(clock.instant() + " nodeprobe run: " + r.status().word() + " in " + r.durationMs() + "ms"
                    + (failing.isEmpty() ? "" : " (" + String.join(", ", failing) + ")"));
        }
        err.flush();
    }

    private static List<String> failing(Report r) {
        return r.checks().stream()
                .filter(c -> c.status() == Status.FAIL || c.status() == Status.UNKNOWN)
                .map(c -> c.name() + "=" + c.status().word()).toList();
    }

    /** A free-form event (serve start, stop, refresh). */
    public void event(String level, String event, String message) {
        if (json) {
            err.println(new JsonWriter(false).beginObject().field("ts", clock.instant().toString())
                    .field("level", level).field("event", event).field("message", message).endObject());
        } else {
            err.println(clock.instant() + " nodeprobe " + event + ": " + message);
        }
        err.flush();
    }
}
