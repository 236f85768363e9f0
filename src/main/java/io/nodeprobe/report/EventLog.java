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

    /** One attempt of `check`: attempt number, time since the first attempt, verdict, failing checks, what next. */
    public void attempt(int attempt, long elapsedMs, Report r, String next) {
        verdict("check", r, "attempt " + attempt + " after " + elapsedMs + "ms", next,
                w -> w.field("attempt", attempt).field("elapsedMs", elapsedMs));
    }

    /** One scheduled run of `serve`; a run that stopped early carries its cause. */
    public void run(Report r) {
        String next = r.failure() == null ? null : "the run stopped early: " + r.failure();
        verdict("run", r, "in " + r.durationMs() + "ms", next, w -> w.field("durationMs", r.durationMs()));
    }

    /** A free-form event (serve start, stop, an unwritable output file). */
    public void event(String level, String event, String message) {
        if (json) {
            emit(new JsonWriter(false).beginObject().field("ts", clock.instant().toString())
                    .field("level", level).field("event", event).field("message", message).endObject().toString());
        } else {
            emit(clock.instant() + " nodeprobe " + event + ": " + message);
        }
    }

    private void verdict(String event, Report r, String when, String next,
                         java.util.function.Consumer<JsonWriter> extra) {
        List<String> failing = r.checks().stream()
                .filter(c -> c.status() == Status.FAIL || c.status() == Status.UNKNOWN)
                .map(c -> c.name() + "=" + c.status().word()).toList();
        if (json) {
            JsonWriter w = new JsonWriter(false).beginObject()
                    .field("ts", clock.instant().toString())
                    .field("level", r.status().isOk() ? "info" : "warn")
                    .field("event", event)
                    .field("status", r.status().word());
            extra.accept(w);
            w.name("failing").beginArray();
            failing.forEach(w::value);
            emit(w.endArray().field("next", next).endObject().toString());
        } else {
            emit(clock.instant() + " nodeprobe " + event + " " + when + ": " + r.status().word()
                    + (failing.isEmpty() ? "" : " (" + String.join(", ", failing) + ")")
                    + (next == null ? "" : "; " + next));
        }
    }

    private void emit(String line) {
        err.println(line);
        err.flush();
    }
}
