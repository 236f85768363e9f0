package io.nodeprobe.clock;

import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The {@code Date} headers the run's answers carried, each beside the node's clock when it arrived: the facts from
 * which the node's clock offset is judged. One per run, written by every lane; a header that does not parse is
 * not a reading.
 */
public final class ServerDates {
    /** One answer's date and the node's time when it came. */
    public record Reading(String source, Instant server, Instant node) {
    }

    private final Clock clock;
    private final List<Reading> readings = new ArrayList<>();

    public ServerDates(Clock clock) {
        this.clock = clock;
    }

    /** @param source who answered: {@code imds}, {@code sts} or {@code s3} */
    public void heard(String source, String dateHeader) {
        Instant node = clock.instant();
        parse(dateHeader).ifPresent(server -> {
            synchronized (this) {
                readings.add(new Reading(source, server, node));
            }
        });
    }

    /** The node's time now, as the servers' clock has it when any answered; else the node's own. */
    public Instant serverNow() {
        return offset().map(o -> clock.instant().minusSeconds(o.seconds())).orElseGet(clock::instant);
    }

    /** A clock that tells {@link #serverNow()}: for judging expiry times by the servers' clock. */
    public Clock serverClock() {
        ServerDates dates = this;
        return new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return clock.getZone();
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return dates.serverNow();
            }
        };
    }

    /**
     * The median reading's offset: one slow answer (its Date is stamped before the body is sent) moves the median
     * least. Empty when no answer carried a usable Date.
     */
    public Optional<ClockOffset> offset() {
        List<Reading> all;
        synchronized (this) {
            all = new ArrayList<>(readings);
        }
        if (all.isEmpty()) {
            return Optional.empty();
        }
        all.sort(Comparator.comparingLong(ServerDates::offsetMs));
        Reading median = all.get(all.size() / 2);
        return Optional.of(new ClockOffset(Math.round(offsetMs(median) / 1000.0), median.source(), all.size()));
    }

    /**
     * Node minus server. Date has whole seconds, truncated: the server's time was up to a second later than it
     * says, so half a second is added to it.
     */
    private static long offsetMs(Reading r) {
        return r.node().toEpochMilli() - (r.server().toEpochMilli() + 500);
    }

    static Optional<Instant> parse(String header) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ZonedDateTime.parse(header.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
