package io.nodeprobe.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StorageUriTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "s3://my-bucket/org_1/cld_2/artifact_storage/|my-bucket|org_1/cld_2/artifact_storage",
            "s3://my-bucket|my-bucket|''",
            "s3://my-bucket/|my-bucket|''",
            "S3://my-bucket/a|my-bucket|a",
            "s3://my-bucket//a/b//|my-bucket|a/b"})
    void parse_anyscaleUri_splitsBucketAndPrefix(String uri, String bucket, String prefix) {
        StorageUri u = StorageUri.parse("ANYSCALE_ARTIFACT_STORAGE", uri);
        assertEquals(bucket, u.bucket());
        assertEquals(prefix, u.prefix());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "http://my-bucket/x|not an s3:// URI",
            "gs://my-bucket|not an s3:// URI",
            "s3:///prefix|has no bucket",
            "s3://|has no bucket",
            "s3://Bad_Bucket/x|invalid bucket name",
            "s3://my-bucket/x?versionId=1|query or fragment",
            "s3://my-bucket/../etc|'..'",
            "s3://my-bucket/a//b|empty",
            "garbage|not an s3:// URI"})
    void parse_badUri_isAConfigErrorNamingTheVariable(String uri, String why) {
        ConfigException e = assertThrows(ConfigException.class, () -> StorageUri.parse("--storage-uri", uri));
        assertTrue(e.getMessage().startsWith("--storage-uri"), e.getMessage());
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }

    @Test
    void parse_null_isAConfigError() {
        assertThrows(ConfigException.class, () -> StorageUri.parse("x", null));
    }
}
