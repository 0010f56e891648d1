package dev.todo.assistant;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A small builder for the JSON Schemas of tool inputs (the subset models handle well). */
final class Schema {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final ObjectNode node = F.objectNode();
    private final ObjectNode properties = F.objectNode();
    private final ArrayNode required = F.arrayNode();

    private Schema() {
        node.put("type", "object");
        node.set("properties", properties);
    }

    static Schema object() {
        return new Schema();
    }

    static ObjectNode string(String description) {
        return F.objectNode().put("type", "string").put("description", description);
    }

    static ObjectNode dateTime(String description) {
        return string(description).put("format", "date-time");
    }

    static ObjectNode oneOf(String description, String... values) {
        ObjectNode s = string(description);
        ArrayNode e = s.putArray("enum");
        for (String v : values) {
            e.add(v);
        }
        return s;
    }

    static ObjectNode integer(String description, int min, int max) {
        return F.objectNode().put("type", "integer").put("description", description).put("minimum", min).put("maximum", max);
    }

    static ObjectNode bool(String description) {
        return F.objectNode().put("type", "boolean").put("description", description);
    }

    static ObjectNode array(String description, ObjectNode items, int maxItems) {
        ObjectNode a = F.objectNode().put("type", "array").put("description", description);
        a.set("items", items);
        return a.put("maxItems", maxItems);
    }

    Schema property(String name, ObjectNode schema) {
        properties.set(name, schema);
        return this;
    }

    Schema required(String... names) {
        for (String n : names) {
            required.add(n);
        }
        return this;
    }

    /** Copies the properties (and required names) of another object schema. */
    Schema with(Schema other) {
        properties.setAll(other.properties);
        required.addAll(other.required);
        return this;
    }

    ObjectNode build() {
        ObjectNode out = node.deepCopy();
        if (!required.isEmpty()) {
            out.set("required", required.deepCopy());
        }
        out.put("additionalProperties", false);
        return out;
    }

    ObjectNode describe(String description) {
        return build().put("description", description);
    }
}
