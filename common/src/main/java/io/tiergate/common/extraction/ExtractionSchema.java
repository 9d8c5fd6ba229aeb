package io.tiergate.common.extraction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaId;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.SpecVersionDetector;
import com.networknt.schema.ValidationMessage;
import io.tiergate.common.problem.Problem;
import io.tiergate.common.problem.ProblemException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A caller's extraction schema, checked against its JSON Schema meta-schema (2020-12 unless {@code $schema}
 * says otherwise). Answers are validated against a copy in which every property may also be null: "not found"
 * is always a valid answer, so a model never has to invent a value to satisfy the schema.
 */
public final class ExtractionSchema {

    private static final Map<SpecVersion.VersionFlag, String> META_SCHEMAS = Map.of(
            SpecVersion.VersionFlag.V4, SchemaId.V4,
            SpecVersion.VersionFlag.V6, SchemaId.V6,
            SpecVersion.VersionFlag.V7, SchemaId.V7,
            SpecVersion.VersionFlag.V201909, SchemaId.V201909,
            SpecVersion.VersionFlag.V202012, SchemaId.V202012);

    /** JSON levels (objects and arrays) a schema may nest: each level of a schema's properties takes two. */
    static final int MAX_DEPTH = 64;

    private final JsonNode original;
    private final JsonSchema nullable;
    private final List<String> propertyNames;

    private ExtractionSchema(JsonNode original, JsonSchema nullable, List<String> propertyNames) {
        this.original = original;
        this.nullable = nullable;
        this.propertyNames = propertyNames;
    }

    /** Checks the schema and compiles it; a bad schema is a problem naming {@code field}. */
    public static ExtractionSchema compile(JsonNode schema, String field) {
        if (schema == null || schema.isNull()) {
            throw ProblemException.badField(field, "Field '" + field + "' is required: a JSON Schema of the object to extract.");
        }
        if (!schema.isObject()) {
            throw ProblemException.badField(field, "Field '" + field + "' must be a JSON Schema object.");
        }
        // The schema libraries walk a schema recursively: one nested a few hundred levels deep overflows their stack.
        if (nestedDeeperThan(schema, MAX_DEPTH)) {
            throw ProblemException.badField(field, "Field '" + field + "' is nested more than " + MAX_DEPTH
                    + " levels deep (objects and arrays); an extraction schema needs far fewer.");
        }
        rejectRemoteReferences(schema, field);
        SpecVersion.VersionFlag version;
        try {
            version = SpecVersionDetector.detectOptionalVersion(schema, false).orElse(SpecVersion.VersionFlag.V202012);
        } catch (RuntimeException unknownDraft) {
            throw ProblemException.badField(field + ".$schema", "Field '" + field + ".$schema' names an unsupported JSON Schema draft.");
        }
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(version);
        Set<ValidationMessage> metaErrors = factory.getSchema(SchemaLocation.of(META_SCHEMAS.get(version))).validate(schema);
        if (!metaErrors.isEmpty()) {
            throw ProblemException.badField(field, "Field '" + field + "' is not a valid JSON Schema: " + describe(metaErrors));
        }
        if (!"object".equals(schema.path("type").asText()) || !schema.path("properties").isObject() || schema.path("properties").isEmpty()) {
            throw ProblemException.badField(field,
                    "Field '" + field + "' must describe an object: \"type\": \"object\" with at least one entry in \"properties\".");
        }
        List<String> names = new ArrayList<>();
        schema.get("properties").fieldNames().forEachRemaining(names::add);
        try {
            JsonSchema nullable = factory.getSchema(allowNulls(schema.deepCopy()));
            nullable.initializeValidators();
            return new ExtractionSchema(schema, nullable, List.copyOf(names));
        } catch (RuntimeException unusable) {
            throw ProblemException.badField(field, "Field '" + field + "' cannot be used as a JSON Schema: " + unusable.getMessage());
        }
    }

    public JsonNode original() {
        return original;
    }

    public List<String> propertyNames() {
        return propertyNames;
    }

    /** What is wrong with {@code data} under the schema (nulls allowed everywhere), empty when it validates. */
    public List<String> violations(JsonNode data) {
        return nullable.validate(data).stream().map(ValidationMessage::getMessage).sorted().toList();
    }

    private static ObjectNode allowNulls(ObjectNode schema) {
        JsonNode properties = schema.get("properties");
        if (properties instanceof ObjectNode props) {
            Iterator<Map.Entry<String, JsonNode>> fields = props.fields();
            List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
            fields.forEachRemaining(entries::add);
            for (Map.Entry<String, JsonNode> entry : entries) {
                JsonNode sub = entry.getValue() instanceof ObjectNode nested ? allowNulls(nested) : entry.getValue();
                ObjectNode either = JsonNodeFactory.instance.objectNode();
                either.putArray("anyOf").add(sub).addObject().put("type", "null");
                props.set(entry.getKey(), either);
            }
        }
        if (schema.get("items") instanceof ObjectNode items) {
            allowNulls(items);
        }
        return schema;
    }

    /** Whether {@code root} nests objects and arrays more than {@code limit} levels deep, found without recursion. */
    private static boolean nestedDeeperThan(JsonNode root, int limit) {
        Deque<Map.Entry<JsonNode, Integer>> pending = new ArrayDeque<>();
        pending.push(Map.entry(root, 1));
        while (!pending.isEmpty()) {
            Map.Entry<JsonNode, Integer> next = pending.pop();
            if (next.getValue() > limit) {
                return true;
            }
            for (JsonNode child : next.getKey()) {
                if (child.isContainerNode()) {
                    pending.push(Map.entry(child, next.getValue() + 1));
                }
            }
        }
        return false;
    }

    /** Resolving a remote $ref would make the pod fetch URLs chosen by callers; only in-document references are allowed. */
    private static void rejectRemoteReferences(JsonNode node, String path) {
        if (node.isObject()) {
            for (String keyword : List.of("$ref", "$dynamicRef", "$recursiveRef")) {
                Optional<String> ref = Optional.ofNullable(node.get(keyword)).filter(JsonNode::isTextual).map(JsonNode::asText);
                if (ref.isPresent() && !ref.get().startsWith("#")) {
                    throw ProblemException.badField(path + "." + keyword,
                            "Field '" + path + "." + keyword + "' refers outside the schema (" + Problem.quoted(ref.get())
                                    + "); only '#...' references are allowed.");
                }
            }
            node.fields().forEachRemaining(entry -> rejectRemoteReferences(entry.getValue(), path + "." + entry.getKey()));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                rejectRemoteReferences(node.get(i), path + "[" + i + "]");
            }
        }
    }

    private static String describe(Set<ValidationMessage> errors) {
        return errors.stream().map(ValidationMessage::getMessage).sorted().limit(5).reduce((a, b) -> a + "; " + b).orElse("");
    }
}
