package io.nodeprobe.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nodeprobe.config.ConfigException;
import io.nodeprobe.config.Env;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ImdsSettingsTest {

    @Test
    void from_defaults_linkLocalOneSecondTwoAttempts() {
        ImdsSettings s = ImdsSettings.from(Env.of());
        assertEquals(URI.create("http://169.254.169.254"), s.endpoint());
        assertEquals(Duration.ofSeconds(1), s.timeout());
        assertEquals(2, s.attempts());
        assertFalse(s.disabled());
        assertFalse(s.v1Disabled());
    }

    @Test
    void from_endpointWithOrWithoutTrailingSlash_isTheSame() {
        assertEquals(URI.create("http://127.0.0.1:18090"),
                ImdsSettings.from(Env.of("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:18090/")).endpoint());
        assertEquals(URI.create("http://127.0.0.1:18090"),
                ImdsSettings.from(Env.of("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:18090")).endpoint());
    }

    @Test
    void from_ipv6Mode_usesTheIpv6Address() {
        assertEquals(URI.create("http://[fd00:ec2::254]"),
                ImdsSettings.from(Env.of("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv6")).endpoint());
    }

    @Test
    void from_switches() {
        ImdsSettings s = ImdsSettings.from(Env.of("AWS_EC2_METADATA_DISABLED", "TRUE",
                "AWS_EC2_METADATA_V1_DISABLED", "true", "AWS_METADATA_SERVICE_TIMEOUT", "3",
                "AWS_METADATA_SERVICE_NUM_ATTEMPTS", "4"));
        assertTrue(s.disabled());
        assertTrue(s.v1Disabled());
        assertEquals(Duration.ofSeconds(3), s.timeout());
        assertEquals(4, s.attempts());
    }

    @Test
    void from_garbage_isAConfigErrorNamingTheVariable() {
        for (String[] kv : new String[][] {{"AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "IPv5"},
                {"AWS_EC2_METADATA_SERVICE_ENDPOINT", "169.254.169.254"}, {"AWS_METADATA_SERVICE_TIMEOUT", "-1"},
                {"AWS_METADATA_SERVICE_NUM_ATTEMPTS", "many"}, {"AWS_EC2_METADATA_DISABLED", "perhaps"}}) {
            ConfigException e = assertThrows(ConfigException.class, () -> ImdsSettings.from(Env.of(kv[0], kv[1])));
            assertTrue(e.getMessage().startsWith(kv[0]), e.getMessage());
        }
    }
}
