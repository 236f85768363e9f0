package io.nodeprobe.localcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;
import software.amazon.awssdk.services.sts.model.StsException;

/** The AWS SDK's STS client parses the emulator's replies and errors like AWS's. */
class StsEmulatorSdkTest {
    @TempDir
    Path rolesDir;
    StsEmulator sts;

    @BeforeEach
    void start() {
        sts = StsEmulator.start(0)
                .identity("AKIAALICE0000000000A", "arn:aws:iam::123456789012:user/alice", "AIDAALICE00000000000", "123456789012")
                .identitiesFromRoles(rolesDir, "123456789012", "i-0123456789abcdef0");
    }

    @AfterEach
    void stop() {
        sts.close();
    }

    private StsClient client(AwsCredentials credentials) {
        return StsClient.builder()
                .endpointOverride(URI.create(sts.endpoint()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @Test
    void getCallerIdentity_staticKey_sdkParsesIdentity() {
        try (StsClient client = client(AwsBasicCredentials.create("AKIAALICE0000000000A", "secret"))) {
            GetCallerIdentityResponse r = client.getCallerIdentity();
            assertEquals("arn:aws:iam::123456789012:user/alice", r.arn());
            assertEquals("123456789012", r.account());
            assertEquals("AIDAALICE00000000000", r.userId());
            assertEquals(36, r.responseMetadata().requestId().length());
        }
    }

    @Test
    void getCallerIdentity_roleSessionCredentials_sdkParsesAssumedRole() throws Exception {
        Files.writeString(rolesDir.resolve("np-full.json"), "{\"Code\":\"Success\",\"Type\":\"AWS-HMAC\","
                + "\"AccessKeyId\":\"fueJ1Ov1DkSPRTfcTSB\",\"SecretAccessKey\":\"s\",\"Token\":\"KC5M+4Lb/zaU==\","
                + "\"Expiration\":\"2099-01-01T00:00:00Z\"}");
        try (StsClient client = client(AwsSessionCredentials.create("fueJ1Ov1DkSPRTfcTSB", "s", "KC5M+4Lb/zaU=="))) {
            GetCallerIdentityResponse r = client.getCallerIdentity();
            assertEquals("arn:aws:sts::123456789012:assumed-role/np-full/i-0123456789abcdef0", r.arn());
            assertEquals("123456789012", r.account());
            assertEquals(AwsIds.uniqueId("AROA", "123456789012:np-full") + ":i-0123456789abcdef0", r.userId());
        }
    }

    @Test
    void getCallerIdentity_unknownKey_sdkReportsInvalidClientTokenId() {
        try (StsClient client = client(AwsBasicCredentials.create("AKIAUNKNOWN000000000", "secret"))) {
            StsException e = assertThrows(StsException.class, client::getCallerIdentity);
            assertEquals(403, e.statusCode());
            assertEquals("InvalidClientTokenId", e.awsErrorDetails().errorCode());
            assertEquals("The security token included in the request is invalid.", e.awsErrorDetails().errorMessage());
            assertEquals(e.requestId(), e.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("x-amzn-RequestId").orElseThrow());
        }
    }

    @Test
    void getCallerIdentity_refusedAccessDenied_sdkReportsAccessDenied() {
        sts.refuse(403, "AccessDenied", "User is not authorized to perform: sts:GetCallerIdentity");
        try (StsClient client = client(AwsBasicCredentials.create("AKIAALICE0000000000A", "secret"))) {
            StsException e = assertThrows(StsException.class, client::getCallerIdentity);
            assertEquals("AccessDenied", e.awsErrorDetails().errorCode());
            assertEquals(1, sts.requestCount()); // not retried, like a real 403
        }
    }
}
