package io.nodeprobe.aws;

import io.nodeprobe.clock.ServerDates;
import io.nodeprobe.config.Endpoints;
import java.time.Duration;
import javax.net.ssl.TrustManager;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Builds the S3 and STS clients for one run. Built by hand rather than injected because endpoint, region and
 * credentials are only known at run time (flags, IMDS); the Quarkiverse extensions still supply the native-image
 * support for the SDK. One url-connection HTTP client is shared: light, and no CRT or Netty in the binary.
 */
final class AwsClients implements AutoCloseable {
    /** Longest any single attempt may take; the run's deadline usually cuts it shorter. */
    static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    private final Endpoints endpoints;
    private final SdkHttpClient http;

    /** The S3 endpoint override, null for AWS's own. */
    java.net.URI s3Endpoint() {
        return endpoints.s3();
    }

    AwsClients(Endpoints endpoints) {
        this.endpoints = endpoints;
        UrlConnectionHttpClient.Builder b = UrlConnectionHttpClient.builder()
                .connectionTimeout(CONNECT_TIMEOUT)
                .socketTimeout(ATTEMPT_TIMEOUT);
        if (endpoints.caBundle() != null) {
            TrustManager[] tms = TrustStores.fromPem(endpoints.caBundle());
            b.tlsTrustManagersProvider(() -> tms);
        }
        this.http = b.build();
    }

    S3Client s3(String region, AwsCredentialsProvider credentials, ServerDates dates) {
        var b = S3Client.builder()
                .httpClient(http)
                .region(Region.of(region))
                .credentialsProvider(credentials)
                .forcePathStyle(endpoints.pathStyle())
                .requestChecksumCalculation(endpoints.checksumWhenSupported()
                        ? RequestChecksumCalculation.WHEN_SUPPORTED : RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(endpoints.validateWhenSupported()
                        ? ResponseChecksumValidation.WHEN_SUPPORTED : ResponseChecksumValidation.WHEN_REQUIRED)
                .overrideConfiguration(override().addExecutionInterceptor(new DropExpectContinue())
                        .addExecutionInterceptor(AnswerCheck.s3()) // first: a portal's Date is not S3's clock
                        .addExecutionInterceptor(new ServerDateRecorder("s3", dates)).build());
        if (endpoints.s3() != null) {
            b.endpointOverride(endpoints.s3());
        }
        return b.build();
    }

    StsClient sts(String region, AwsCredentialsProvider credentials, ServerDates dates) {
        var b = StsClient.builder()
                .httpClient(http)
                .region(Region.of(region))
                .credentialsProvider(credentials)
                .overrideConfiguration(override().addExecutionInterceptor(AnswerCheck.sts())
                        .addExecutionInterceptor(new ServerDateRecorder("sts", dates))
                        .build());
        if (endpoints.sts() != null) {
            b.endpointOverride(endpoints.sts());
        }
        return b.build();
    }

    private static ClientOverrideConfiguration.Builder override() {
        return ClientOverrideConfiguration.builder()
                // Attempts retries, within the run's deadline; the SDK's own retries cannot see it.
                .retryStrategy(software.amazon.awssdk.awscore.retry.AwsRetryStrategy.doNotRetry())
                .apiCallAttemptTimeout(ATTEMPT_TIMEOUT);
    }

    /** The SDK rejects a zero timeout; a spent budget still gets a call that fails at once. */
    static Duration atLeastOneMs(Duration budget) {
        return budget.toMillis() < 1 ? Duration.ofMillis(1) : budget;
    }

    @Override
    public void close() {
        http.close();
    }
}
