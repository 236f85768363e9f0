package io.nodeprobe.localcloud;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fields of an IMDS credentials document ({"Code":"Success",...,"AccessKeyId":..,"Token":..,"Expiration":..})
 * that the STS emulator needs to recognise a role session. The documents are flat objects of strings, so a small
 * pattern is enough and the emulator stays free of JSON libraries.
 */
record CredentialsDocument(String accessKeyId, String secretAccessKey, String token, Optional<Instant> expiration) {

    static CredentialsDocument parse(String json) {
        Optional<Instant> expiration;
        try {
            expiration = field(json, "Expiration").map(Instant::parse);
        } catch (DateTimeParseException e) {
            expiration = Optional.empty();
        }
        return new CredentialsDocument(field(json, "AccessKeyId").orElse(null),
                field(json, "SecretAccessKey").orElse(null), field(json, "Token").orElse(null), expiration);
    }

    /** Empty when the file vanished in between (a rotation replaces it by rename) or cannot be read. */
    static Optional<CredentialsDocument> read(Path file) {
        try {
            return Optional.of(parse(Files.readString(file)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    boolean expiredAt(Instant now) {
        return expiration.map(now::isAfter).orElse(false);
    }

    private static Optional<String> field(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
        // Values we handle (keys, base64 tokens, timestamps) never need JSON unescaping beyond "\/".
        return m.find() ? Optional.of(m.group(1).replace("\\/", "/")) : Optional.empty();
    }
}
