package io.nodeprobe.it;

import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/** Read access to a JSON report, for assertions. */
public record ReportJson(JsonNode root) {

    public String status() {
        return root.field("status").map(JsonNode::asString).orElseThrow();
    }

    public String at(String object, String field) {
        return root.field(object).flatMap(o -> o.field(field)).filter(n -> !n.isNull()).map(JsonNode::asString)
                .orElse(null);
    }

    /** A number field, as a long; null when missing or null. */
    public Long number(String object, String field) {
        return root.field(object).flatMap(o -> o.field(field)).filter(n -> !n.isNull())
                .map(n -> Long.parseLong(n.asNumber())).orElse(null);
    }

    public List<JsonNode> checks() {
        return root.field("checks").map(JsonNode::asArray).orElseThrow();
    }

    public Check check(String name) {
        return checks().stream().filter(c -> name.equals(c.field("name").map(JsonNode::asString).orElse(null)))
                .findFirst().map(Check::new).orElseThrow(() -> new AssertionError("no check " + name));
    }

    /** Names of the checks whose status is {@code status}. */
    public List<String> withStatus(String status) {
        return checks().stream().filter(c -> status.equals(c.field("status").map(JsonNode::asString).orElse(null)))
                .map(c -> c.field("name").orElseThrow().asString()).toList();
    }

    public record Check(JsonNode node) {
        public String status() {
            return text("status");
        }

        public String text(String field) {
            return node.field(field).filter(n -> !n.isNull()).map(JsonNode::asString).orElse(null);
        }

        public String errorCode() {
            return error("code");
        }

        public String error(String field) {
            return node.field("error").filter(n -> !n.isNull()).flatMap(e -> e.field(field))
                    .filter(n -> !n.isNull()).map(n -> n.isNumber() ? n.asNumber()
                    : n.isBoolean() ? String.valueOf(n.asBoolean()) : n.asString()).orElse(null);
        }

        public Optional<String> diagnosis() {
            return Optional.ofNullable(text("diagnosis"));
        }

        @Override
        public String toString() {
            return node.toString();
        }
    }
}
