package io.nodeprobe.probe;

import io.nodeprobe.clock.ServerDates;
import io.nodeprobe.identity.Sts;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/** Where a run's STS and S3 calls go: the AWS SDK in production, in-process fakes in unit tests. */
public interface Cloud {
    /**
     * Clients for one run, signed with {@code credentials}, telling {@code dates} the Date of every answer; may
     * throw a ConfigException (e.g. a bad CA bundle).
     */
    Connection connect(String region, AwsCredentialsProvider credentials, ServerDates dates);

    /** One run's clients; closing releases their connections. */
    interface Connection extends AutoCloseable {
        Sts sts();

        Bucket bucket(String name);

        @Override
        void close();
    }
}
