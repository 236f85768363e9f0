package io.nodeprobe.identity;

import io.nodeprobe.aws.Deadline;
import io.nodeprobe.clock.ServerDates;

/**
 * The instance metadata service as the discovery uses it: an IMDSv2 token and token-carrying (or, for IMDSv1,
 * token-less) GETs under {@code /latest/meta-data/}. Every call draws from the run's deadline.
 */
public interface Imds {
    ImdsSettings settings();

    /** IMDSv2: PUT /latest/api/token with the TTL header. */
    String token(Deadline deadline) throws ImdsException;

    /** GET /latest/meta-data/{path}; token null means IMDSv1. */
    String get(String path, String token, Deadline deadline) throws ImdsException;

    /** The same service, telling {@code dates} the Date of each answer (one run's); a stand-in may ignore it. */
    default Imds heardBy(ServerDates dates) {
        return this;
    }
}
