package io.nodeprobe.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {
    @ParameterizedTest
    @CsvSource({"500ms,500", "15s,15000", "15,15000", "2m,120000", "1h,3600000"})
    void parse_units(String text, long millis) {
        assertEquals(Duration.ofMillis(millis), Durations.parse("--timeout", text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "-1s", "0s", "1.5s", "10 s", "1d", "99999999999s"})
    void parse_garbage_isAConfigError(String text) {
        assertThrows(ConfigException.class, () -> Durations.parse("--timeout", text));
    }
}
