package io.nodeprobe.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JsonWriterTest {
    @Test
    void escapesControlAndQuoteCharacters() {
        String s = new JsonWriter(false).beginObject().field("k", "a\"b\\c\n\u0001\u2028").endObject().toString();
        assertEquals("{\"k\":\"a\\\"b\\\\c\\n\\u0001\\u2028\"}", s);
    }

    @Test
    void nestedContainers_compactAndPretty() {
        JsonWriter c = new JsonWriter(false).beginObject().name("a").beginArray().value(1).value("x").endArray()
                .field("n", (String) null).name("e").beginObject().endObject().endObject();
        assertEquals("{\"a\":[1,\"x\"],\"n\":null,\"e\":{}}", c.toString());
        JsonWriter p = new JsonWriter(true).beginObject().name("a").beginArray().value(1).endArray().endObject();
        assertEquals("{\n  \"a\": [\n    1\n  ]\n}", p.toString());
    }
}
