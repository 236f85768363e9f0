package io.nodeprobe.report;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A tiny streaming JSON writer. Hand-written rather than Jackson so the native image needs no reflection
 * configuration, and so the field order of the report is exactly the documented one.
 */
public final class JsonWriter {
    private final StringBuilder out = new StringBuilder(1024);
    private final boolean pretty;
    /** One entry per open container: true once it holds a member, so the next one needs a comma. */
    private final Deque<boolean[]> open = new ArrayDeque<>();
    private boolean afterName;

    public JsonWriter(boolean pretty) {
        this.pretty = pretty;
    }

    public JsonWriter beginObject() {
        return openContainer('{');
    }

    public JsonWriter endObject() {
        return closeContainer('}');
    }

    public JsonWriter beginArray() {
        return openContainer('[');
    }

    public JsonWriter endArray() {
        return closeContainer(']');
    }

    public JsonWriter name(String name) {
        separate();
        quote(name);
        out.append(pretty ? ": " : ":");
        afterName = true;
        return this;
    }

    public JsonWriter value(String s) {
        separate();
        if (s == null) {
            out.append("null");
        } else {
            quote(s);
        }
        return this;
    }

    public JsonWriter value(Number n) {
        separate();
        out.append(n == null ? "null" : n.toString());
        return this;
    }

    public JsonWriter value(boolean b) {
        separate();
        out.append(b);
        return this;
    }

    /** A boolean that may be unknown: null is written as JSON null. */
    public JsonWriter field(String name, Boolean value) {
        name(name);
        if (value == null) {
            separate();
            out.append("null");
            return this;
        }
        return value(value.booleanValue());
    }

    public JsonWriter field(String name, String value) {
        return name(name).value(value);
    }

    public JsonWriter field(String name, Number value) {
        return name(name).value(value);
    }

    @Override
    public String toString() {
        return out.toString();
    }

    private JsonWriter openContainer(char c) {
        separate();
        out.append(c);
        open.push(new boolean[1]);
        return this;
    }

    private JsonWriter closeContainer(char c) {
        boolean hadMembers = open.pop()[0];
        if (hadMembers) {
            newline();
        }
        out.append(c);
        return this;
    }

    /** Writes the comma and indentation a new member needs, unless it is the value right after a name. */
    private void separate() {
        if (afterName) {
            afterName = false;
            return;
        }
        boolean[] container = open.peek();
        if (container == null) {
            return;
        }
        if (container[0]) {
            out.append(',');
        }
        container[0] = true;
        newline();
    }

    private void newline() {
        if (pretty) {
            out.append('\n').append("  ".repeat(open.size()));
        }
    }

    private void quote(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
