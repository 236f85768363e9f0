package io.nodeprobe.config;

/** Bad flags, environment or configuration: reported in one line with exit code 2, never retried. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message, null, false, false);
    }
}
