package io.nodeprobe.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BucketNameTest {

    @ParameterizedTest
    @ValueSource(strings = {"abc", "my-bucket", "my.bucket.1", "a1b", "anyscale-prod-data-cld-123",
            "x23456789012345678901234567890123456789012345678901234567890123"})
    void validate_validName_returnsIt(String name) {
        assertEquals(name, BucketName.validate(name));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ab|3 to 63",
            "x234567890123456789012345678901234567890123456789012345678901234|3 to 63",
            "My-Bucket|lowercase",
            "my_bucket|lowercase",
            "-bucket|starting and ending",
            "bucket-|starting and ending",
            "my..bucket|adjacent dots",
            "192.168.1.1|IP address",
            "xn--bucket|xn--",
            "sthree-bucket|sthree-",
            "bucket-s3alias|-s3alias",
            "bucket--ol-s3|--ol-s3",
            "my bucket|lowercase"})
    void validate_invalidName_explainsTheRule(String name, String rule) {
        ConfigException e = assertThrows(ConfigException.class, () -> BucketName.validate(name));
        assertTrue(e.getMessage().contains(rule), e.getMessage());
        assertTrue(e.getMessage().contains("'" + name + "'"), e.getMessage());
    }
}
