package io.tiergate.common.extraction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiergate.common.problem.ProblemException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExtractionSchemaTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void missingAndNullPropertiesAreNotFoundAndWrongTypesAreProblems() throws Exception {
        ExtractionSchema schema = ExtractionSchema.compile(json("""
                {"type":"object","required":["name","age"],"additionalProperties":false,
                 "properties":{"name":{"type":"string"},"age":{"type":"integer","minimum":0},
                   "address":{"type":"object","properties":{"city":{"type":"string"}}}}}"""), "schema");
        ExtractionAnswers.Parsed parsed = ExtractionAnswers.parse("{\"name\":\"Ada\",\"address\":{\"city\":null}}", schema);
        assertTrue(parsed.valid(), parsed.problems().toString());
        assertTrue(parsed.data().get("age").isNull());
        assertEquals(List.of("age"), parsed.notFound());

        ExtractionAnswers.Parsed wrong = ExtractionAnswers.parse("{\"name\":\"Ada\",\"age\":-3,\"extra\":1}", schema);
        assertFalse(wrong.valid());
        assertNull(wrong.data());
        String problems = wrong.problems().toString();
        assertTrue(problems.contains("minimum value of 0") && problems.contains("extra"), problems);
    }

    @Test
    void invalidSchemasNameTheField() throws Exception {
        ProblemException badType = assertThrows(ProblemException.class,
                () -> ExtractionSchema.compile(json("{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"strin\"}}}"), "schema"));
        assertEquals("schema", badType.problem().field());
        ProblemException notObject = assertThrows(ProblemException.class, () -> ExtractionSchema.compile(json("{\"type\":\"array\"}"), "schema"));
        assertTrue(notObject.problem().detail().contains("must describe an object"));
        ProblemException remote = assertThrows(ProblemException.class,
                () -> ExtractionSchema.compile(json("{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"https://example.org/s.json\"}}}"), "schema"));
        assertEquals("schema.properties.a.$ref", remote.problem().field());
        String longRef = "https://example.org/" + "s".repeat(3000);
        ProblemException longRemote = assertThrows(ProblemException.class,
                () -> ExtractionSchema.compile(json("{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"" + longRef + "\"}}}"), "schema"));
        assertTrue(longRemote.problem().detail().contains("(" + longRef.length() + " characters)"), longRemote.problem().detail());
    }

    /** A schema whose properties nest {@code levels} objects deep, each level two JSON levels. */
    private static JsonNode nested(int levels) throws Exception {
        return json("{\"type\":\"object\",\"properties\":{\"a\":".repeat(levels) + "{\"type\":\"string\"}"
                + "}}".repeat(levels));
    }

    @Test
    void aSchemaNestedDeeperThanAnyExtractionNeedsIsAProblemNotAStackOverflow() throws Exception {
        // 490 levels overflowed the schema library's stack (a 500); the JSON parser takes up to 1000.
        ProblemException deep = assertThrows(ProblemException.class, () -> ExtractionSchema.compile(nested(490), "schema"));
        assertEquals("schema", deep.problem().field());
        assertTrue(deep.problem().detail().contains("nested more than 64 levels"), deep.problem().detail());
        assertThrows(ProblemException.class, () -> ExtractionSchema.compile(nested(32), "schema"));
        ExtractionSchema schema = ExtractionSchema.compile(nested(31), "schema");
        assertEquals(List.of("a"), schema.propertyNames());
    }

    @Test
    void draft7SchemasAreAccepted() throws Exception {
        ExtractionSchema schema = ExtractionSchema.compile(json("""
                {"$schema":"http://json-schema.org/draft-07/schema#","type":"object","properties":{"n":{"type":"number"}}}"""), "schema");
        assertTrue(ExtractionAnswers.parse("{\"n\": 2}", schema).valid());
    }
}
