package io.nodeprobe.localcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.InstanceProfileCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;

/** The AWS SDK's own IMDS client (token flow, -extended fallback, document parsing) accepts the emulator. */
class ImdsEmulatorSdkTest {
    @TempDir
    Path dir;
    ImdsEmulator imds;

    @BeforeEach
    void start() {
        imds = ImdsEmulator.start(0);
    }

    @AfterEach
    void stop() {
        imds.close();
    }

    @Test
    void resolveCredentials_imdsV2Required_returnsSessionCredentialsOfTheRole() throws Exception {
        Path doc = Files.writeString(dir.resolve("np-full.json"), """
                {
                  "Code" : "Success",
                  "LastUpdated" : "2026-01-01T00:00:00Z",
                  "Type" : "AWS-HMAC",
                  "AccessKeyId" : "fueJ1Ov1DkSPRTfcTSB",
                  "SecretAccessKey" : "MUEFQ57YPULFSJHD6BSEFMTHE8YOXNCSFF46GNC",
                  "Token" : "KC5M4LbEzaU4gRJ7bX16it3NmhEp4SZmwiLP+ppLF/g==",
                  "Expiration" : "2099-01-01T00:00:00Z"
                }""");
        imds.role("np-full", doc);
        try (InstanceProfileCredentialsProvider provider = InstanceProfileCredentialsProvider.builder()
                .endpoint(imds.endpoint()).build()) {
            AwsSessionCredentials creds = assertInstanceOf(AwsSessionCredentials.class, provider.resolveCredentials());
            assertEquals("fueJ1Ov1DkSPRTfcTSB", creds.accessKeyId());
            assertEquals("MUEFQ57YPULFSJHD6BSEFMTHE8YOXNCSFF46GNC", creds.secretAccessKey());
            assertEquals("KC5M4LbEzaU4gRJ7bX16it3NmhEp4SZmwiLP+ppLF/g==", creds.sessionToken());
        }
    }

    @Test
    void resolveCredentials_nodeWithoutProfile_fails() {
        imds.instanceProfile(null, null);
        try (InstanceProfileCredentialsProvider provider = InstanceProfileCredentialsProvider.builder()
                .endpoint(imds.endpoint()).build()) {
            assertThrows(SdkClientException.class, provider::resolveCredentials);
        }
    }
}
