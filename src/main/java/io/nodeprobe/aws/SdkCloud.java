package io.nodeprobe.aws;

import io.nodeprobe.clock.ServerDates;
import io.nodeprobe.config.Endpoints;
import io.nodeprobe.identity.CallerIdentity;
import io.nodeprobe.identity.Sts;
import io.nodeprobe.probe.Bucket;
import io.nodeprobe.probe.Cloud;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleWithWebIdentityResponse;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;

/** The real cloud: STS and S3 through the AWS SDK, at the endpoints the environment names. */
public final class SdkCloud implements Cloud {
    private final Endpoints endpoints;

    public SdkCloud(Endpoints endpoints) {
        this.endpoints = endpoints;
    }

    @Override
    public Connection connect(String region, AwsCredentialsProvider credentials, ServerDates dates) {
        AwsClients clients = new AwsClients(endpoints);
        try {
            return new SdkConnection(clients, clients.sts(region, credentials, dates),
                    clients.s3(region, credentials, dates));
        } catch (RuntimeException e) {
            clients.close();
            throw e;
        }
    }

    private record SdkConnection(AwsClients clients, StsClient stsClient, S3Client s3) implements Connection {
        @Override
        public Sts sts() {
            return new SdkSts(stsClient);
        }

        @Override
        public Bucket bucket(String name) {
            return new SdkBucket(s3, name, clients.s3Endpoint());
        }

        @Override
        public void close() {
            try (clients; stsClient; s3) {
                // closes all three, the HTTP client last
            }
        }
    }

    private record SdkSts(StsClient client) implements Sts {
        @Override
        public CallerIdentity callerIdentity(Duration budget) {
            GetCallerIdentityResponse r = Attempts.call("STS", budget, left -> client.getCallerIdentity(
                    b -> b.overrideConfiguration(o -> o.apiCallTimeout(left))));
            return new CallerIdentity(r.account(), r.arn(), r.userId());
        }

        /**
         * Anonymous on purpose: the client's own credentials are the ones this call is to produce, and the SDK
         * sends AssumeRoleWithWebIdentity unsigned anyway.
         */
        @Override
        public AwsSessionCredentials assumeRoleWithWebIdentity(String roleArn, String sessionName, String token,
                                                               Duration budget) {
            AssumeRoleWithWebIdentityResponse r = Attempts.call("STS", budget, left -> client
                    .assumeRoleWithWebIdentity(b -> b.roleArn(roleArn).roleSessionName(sessionName).webIdentityToken(token)
                            .overrideConfiguration(o -> o.apiCallTimeout(left)
                                    .credentialsProvider(AnonymousCredentialsProvider.create()))));
            Credentials c = r.credentials();
            return AwsSessionCredentials.builder().accessKeyId(c.accessKeyId()).secretAccessKey(c.secretAccessKey())
                    .sessionToken(c.sessionToken()).expirationTime(c.expiration()).build();
        }
    }
}
