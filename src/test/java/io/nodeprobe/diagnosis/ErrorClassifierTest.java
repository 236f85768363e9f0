package io.nodeprobe.diagnosis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.nodeprobe.report.Status;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

class ErrorClassifierTest {

    private static S3Exception s3(int status, String code, String message, String regionHeader) {
        SdkHttpResponse.Builder http = SdkHttpResponse.builder().statusCode(status);
        if (regionHeader != null) {
            http.putHeader("x-amz-bucket-region", regionHeader);
        }
        return (S3Exception) S3Exception.builder().statusCode(status).requestId("REQ1")
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message)
                        .sdkHttpResponse(http.build()).build())
                .build();
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
            "403,AccessDenied,ACCESS_DENIED,FAIL",
            "403,null,ACCESS_DENIED,FAIL",
            "403,AllAccessDisabled,ACCESS_DENIED,FAIL",
            "404,NoSuchBucket,NO_SUCH_BUCKET,FAIL",
            "403,InvalidAccessKeyId,INVALID_CREDENTIALS,FAIL",
            "403,SignatureDoesNotMatch,INVALID_CREDENTIALS,FAIL",
            "403,InvalidClientTokenId,INVALID_CREDENTIALS,FAIL",
            "400,ExpiredToken,EXPIRED_CREDENTIALS,FAIL",
            "403,RequestTimeTooSkewed,CLOCK_SKEW,FAIL",
            "301,PermanentRedirect,WRONG_REGION,FAIL",
            "301,null,WRONG_REGION,FAIL",
            "400,AuthorizationHeaderMalformed,WRONG_REGION,FAIL",
            "503,SlowDown,THROTTLED,UNKNOWN",
            "400,Throttling,THROTTLED,UNKNOWN",
            "429,null,THROTTLED,UNKNOWN",
            "500,InternalError,SERVER_ERROR,UNKNOWN",
            "503,ServiceUnavailable,SERVER_ERROR,UNKNOWN",
            "400,RequestTimeout,TIMEOUT,UNKNOWN",
            "400,InvalidArgument,CLIENT_ERROR,FAIL"})
    void classify_serviceError(int status, String code, FailureKind kind, Status verdict) {
        Failure f = ErrorClassifier.classify(s3(status, code, "msg", null));
        assertEquals(kind, f.kind());
        assertEquals(verdict, f.kind().status());
        assertEquals(status, f.evidence().httpStatus());
        assertEquals(code, f.evidence().code());
        assertEquals("REQ1", f.evidence().requestId());
    }

    @Test
    void classify_permanentRedirect_takesRegionFromHeader() {
        Failure f = ErrorClassifier.classify(s3(301, "PermanentRedirect", null, "eu-west-1"));
        assertEquals(FailureKind.WRONG_REGION, f.kind());
        assertEquals("eu-west-1", f.bucketRegion());
        assertNull(f.evidence().message());
    }

    @Test
    void classify_authorizationHeaderMalformed_takesRegionFromMessage() {
        Failure f = ErrorClassifier.classify(s3(400, "AuthorizationHeaderMalformed",
                "The authorization header is malformed; the region 'us-east-1' is wrong; expecting 'ap-southeast-2'",
                null));
        assertEquals("ap-southeast-2", f.bucketRegion());
    }

    @Test
    void classify_headInTheWrongRegion_hasOnlyTheStatusAndTheHeader() {
        for (int status : new int[] {301, 400}) {
            Failure f = ErrorClassifier.classify(s3(status, null, null, "ap-northeast-2"));
            assertEquals(FailureKind.WRONG_REGION, f.kind(), "HTTP " + status);
            assertEquals("ap-northeast-2", f.bucketRegion());
        }
        assertEquals(FailureKind.CLIENT_ERROR, ErrorClassifier.classify(s3(400, null, null, null)).kind());
    }

    @Test
    void classify_signatureTimeRefusals_areClockSkew_notBadCredentials() {
        assertEquals(FailureKind.CLOCK_SKEW, ErrorClassifier.classify(s3(403, "SignatureDoesNotMatch",
                "Signature expired: 20220127T001427Z is now earlier than 20220127T014428Z (20220127T015928Z - 15 min.)",
                null)).kind());
        assertEquals(FailureKind.CLOCK_SKEW, ErrorClassifier.classify(s3(403, "SignatureDoesNotMatch",
                "Signature not yet current: 20210112T194419Z is still later than 20210112T072625Z (20210112T071125Z + "
                        + "15 min.)", null)).kind());
        assertEquals(FailureKind.CLOCK_SKEW, ErrorClassifier.classify(s3(403, "RequestTimeTooSkewed",
                "The difference between the request time and the current time is too large.", null)).kind());
        assertEquals(FailureKind.INVALID_CREDENTIALS, ErrorClassifier.classify(s3(403, "SignatureDoesNotMatch",
                "The request signature we calculated does not match the signature you provided.", null)).kind());
    }

    @Test
    void classify_clientSideFailures() {
        assertEquals(FailureKind.TIMEOUT, ErrorClassifier.classify(ApiCallTimeoutException.create(100)).kind());
        assertEquals(FailureKind.NETWORK, ErrorClassifier.classify(SdkClientException.create("x",
                new ConnectException("Connection refused"))).kind());
        assertEquals(FailureKind.NETWORK, ErrorClassifier.classify(SdkClientException.create("x",
                new UnknownHostException("nope.example"))).kind());
        assertEquals(FailureKind.TIMEOUT, ErrorClassifier.classify(SdkClientException.create("x",
                new SocketTimeoutException("Read timed out"))).kind());
        assertEquals(FailureKind.TLS, ErrorClassifier.classify(SdkClientException.create("x",
                new SSLHandshakeException("PKIX path building failed"))).kind());
        assertEquals(Status.UNKNOWN, ErrorClassifier.classify(new IllegalStateException("weird")).kind().status());
    }

    @Test
    void classify_networkCodes_nameTheCause_notAJavaClass() {
        assertEquals("ConnectionReset", ErrorClassifier.classify(SdkClientException.create("x",
                new java.io.UncheckedIOException(new java.net.SocketException("Connection reset")))).evidence().code());
        assertEquals("ConnectionRefused", ErrorClassifier.classify(SdkClientException.create("x",
                new ConnectException("Connection refused"))).evidence().code());
        assertEquals("UnknownHost", ErrorClassifier.classify(SdkClientException.create("x",
                new UnknownHostException("nope.invalid"))).evidence().code());
        assertEquals("ConnectionClosed", ErrorClassifier.classify(SdkClientException.create("x",
                new java.io.EOFException("Premature EOF"))).evidence().code());
        assertEquals("NetworkError", ErrorClassifier.classify(new IllegalStateException("weird")).evidence().code());
    }

    @Test
    void classify_anAnswerThatIsNotS3_isUnknown_andSaysSo() {
        Failure f = ErrorClassifier.classify(io.nodeprobe.aws.ForeignAnswerException.of("S3", 200, "HTTP 200 with an HTML page"));
        assertEquals(FailureKind.NOT_THE_SERVICE, f.kind());
        assertEquals(Status.UNKNOWN, f.kind().status());
        assertEquals("NotS3", f.evidence().code());
        assertEquals(200, f.evidence().httpStatus());
    }

    @Test
    void classify_kmsDenialThroughS3_isKmsNotS3() {
        assertEquals(FailureKind.KMS_DENIED, ErrorClassifier.classify(s3(403, "AccessDenied", "User: arn:aws:sts::"
                + "112233445566:assumed-role/r/s is not authorized to perform: kms:GenerateDataKey on this resource "
                + "because no identity-based policy allows the kms:GenerateDataKey action", null)).kind());
        assertEquals(FailureKind.KMS_DENIED, ErrorClassifier.classify(s3(403, "AccessDenied", "The ciphertext refers "
                + "to a customer master key that does not exist, does not exist in this region, or you are not "
                + "allowed to access.", null)).kind());
        assertEquals(FailureKind.KMS_DENIED, ErrorClassifier.classify(s3(400, "KMS.NotFoundException",
                "Invalid keyId aws/s3", null)).kind());
        assertEquals(FailureKind.ACCESS_DENIED, ErrorClassifier.classify(s3(403, "AccessDenied", "User: arn:aws:sts::"
                + "112233445566:assumed-role/r/s is not authorized to perform: s3:GetObject on resource: "
                + "\"arn:aws:s3:::b/k\" because no identity-based policy allows the s3:GetObject action", null)).kind());
    }
}
