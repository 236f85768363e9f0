package io.nodeprobe.localcloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SigV4CredentialTest {
    @Test
    void fromAuthorization_sdkStyleHeader_readsScope() {
        SigV4Credential c = SigV4Credential.fromAuthorization("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/"
                + "us-east-1/sts/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc").orElseThrow();
        assertEquals(new SigV4Credential("AKIDEXAMPLE", "20260101", "us-east-1", "sts"), c);
    }

    @Test
    void fromAuthorization_curlStyleHeaderWithoutSpaces_readsScope() {
        assertEquals("AK", SigV4Credential.fromAuthorization(
                "AWS4-HMAC-SHA256 Credential=AK/20260101/us-east-1/sts/aws4_request,SignedHeaders=host,Signature=00")
                .orElseThrow().accessKeyId());
    }

    @Test
    void fromAuthorization_missingOrOtherScheme_isEmpty() {
        assertTrue(SigV4Credential.fromAuthorization(null).isEmpty());
        assertTrue(SigV4Credential.fromAuthorization("Basic dXNlcjpwYXNz").isEmpty());
        assertTrue(SigV4Credential.fromAuthorization("AWS4-HMAC-SHA256 Credential=AK/2026/us-east-1/sts").isEmpty());
    }
}
