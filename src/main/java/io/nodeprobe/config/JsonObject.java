package io.nodeprobe.config;

import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/**
 * Read access to a parsed JSON object. Parsing uses the SDK's own small parser (already on the classpath, no
 * reflection), and anything that is not a JSON object is rejected with a message instead of an exception trace.
 */
public final class JsonObject {
    private final Map<String, JsonNode> fields;

    private JsonObject(Map<String, JsonNode> fields) {
        this.fields = fields;
    }

    /** Parses {@code text}; empty when it is not a JSON object. */
    public static Optional<JsonObject> parse(String text) {
        try {
            JsonNode n = JsonNode.parser().parse(text);
            return n.isObject() ? Optional.of(new JsonObject(n.asObject())) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** A string (or number, as text) field; empty when missing, null or of another type. */
    public Optional<String> string(String name) {
        JsonNode n = fields.get(name);
        if (n == null || !(n.isString() || n.isNumber())) {
            return Optional.empty();
        }
        return Optional.of(n.isString() ? n.asString() : n.asNumber());
    }

    public Optional<JsonObject> object(String name) {
        JsonNode n = fields.get(name);
        return n != null && n.isObject() ? Optional.of(new JsonObject(n.asObject())) : Optional.empty();
    }
}
