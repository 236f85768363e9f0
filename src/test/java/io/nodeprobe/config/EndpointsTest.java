package io.nodeprobe.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EndpointsTest {

    @Test
    void from_serviceSpecificVariable_winsOverGlobal() {
        Endpoints e = Endpoints.from(Env.of("AWS_ENDPOINT_URL", "http://127.0.0.1:1", "AWS_ENDPOINT_URL_S3",
                "http://127.0.0.1:2"));
        assertEquals(URI.create("http://127.0.0.1:2"), e.s3());
        assertEquals(URI.create("http://127.0.0.1:1"), e.sts());
    }

    @Test
    void from_nothingSet_usesAwsDefaultsAndWhenRequiredChecksums() {
        Endpoints e = Endpoints.from(Env.of());
        assertNull(e.s3());
        assertNull(e.sts());
        assertFalse(e.pathStyle());
        assertFalse(e.checksumWhenSupported());
        assertFalse(e.validateWhenSupported());
    }

    @Test
    void from_ignoreConfiguredEndpoints_dropsThem() {
        Endpoints e = Endpoints.from(Env.of("AWS_ENDPOINT_URL", "http://127.0.0.1:1",
                "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"));
        assertNull(e.s3());
    }

    @Test
    void from_checksumsAndPathStyle_parsed() {
        Endpoints e = Endpoints.from(Env.of("AWS_REQUEST_CHECKSUM_CALCULATION", "WHEN_SUPPORTED",
                "NODEPROBE_S3_PATH_STYLE", "true"));
        assertTrue(e.checksumWhenSupported());
        assertTrue(e.pathStyle());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://127.0.0.1", "127.0.0.1:8080", "http://", "http://host/?x=1", "http://u:p@host",
            "not a url", "https://[::1"})
    void from_badEndpoint_isAConfigError(String url) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> Endpoints.from(Env.of("AWS_ENDPOINT_URL_S3", url)));
        assertTrue(e.getMessage().startsWith("AWS_ENDPOINT_URL_S3="), e.getMessage());
    }

    @Test
    void from_badChecksumSetting_isAConfigError() {
        assertThrows(ConfigException.class, () -> Endpoints.from(Env.of("AWS_REQUEST_CHECKSUM_CALCULATION", "always")));
        assertThrows(ConfigException.class, () -> Endpoints.from(Env.of("NODEPROBE_S3_PATH_STYLE", "maybe")));
    }

    @Test
    void from_unreadableCaBundle_isAConfigError() {
        assertThrows(ConfigException.class, () -> Endpoints.from(Env.of("AWS_CA_BUNDLE", "/nonexistent/ca.pem")));
    }
}
