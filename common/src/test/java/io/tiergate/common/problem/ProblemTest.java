package io.tiergate.common.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Problem bodies as the services write them: Jackson with SNAKE_CASE names and unknown properties refused. */
class ProblemTest {

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Test
    void badFieldCarriesTheRfc9457MembersAndTheSameFailureAsAnOpenAiError() throws Exception {
        JsonNode body = JSON.valueToTree(Problem.badField("inputs[1].text", "Field 'inputs[1].text' must not be blank."));

        assertEquals("https://tiergate.io/problems/invalid-request", body.get("type").asText());
        assertEquals("Invalid request", body.get("title").asText());
        assertEquals(400, body.get("status").asInt());
        assertEquals("Field 'inputs[1].text' must not be blank.", body.get("detail").asText());
        assertEquals("inputs[1].text", body.get("field").asText());
        JsonNode error = body.get("error");
        assertEquals("Field 'inputs[1].text' must not be blank.", error.get("message").asText());
        assertEquals("invalid_request_error", error.get("type").asText());
        assertEquals("invalid-request", error.get("code").asText());
        assertEquals("inputs[1].text", error.get("param").asText());
    }

    @Test
    void errorParamIsWrittenAsNullWhenNoFieldIsAtFaultWhileTheProblemOmitsField() throws Exception {
        JsonNode body = JSON.valueToTree(Problem.of(503, "no-backend", "No backend available", "Nothing could serve."));

        assertTrue(!body.has("field") && !body.has("attempts"), body.toString());
        assertTrue(body.get("error").has("param") && body.get("error").get("param").isNull(), body.toString());
        assertEquals("server_error", body.get("error").get("type").asText());
        assertEquals("no-backend", body.get("error").get("code").asText());
    }

    @Test
    void aProblemReadBackIgnoresItsDerivedErrorMember() throws Exception {
        Problem problem = Problem.of(429, "quota-exhausted", "Quota exhausted", "Out of quota.")
                .withAttempts(List.of(new Problem.Attempt("groq", "org-a", "quota", 429, 12, null)));

        assertEquals(problem, JSON.readValue(JSON.writeValueAsBytes(problem), Problem.class));
    }

    @Test
    void aQuotedValueIsCutAfter100CharactersAndSaysHowLongItWas() {
        assertEquals("'groq'", Problem.quoted("groq"));
        assertEquals("null", Problem.quoted(null));
        assertEquals("'" + "x".repeat(100) + "'", Problem.quoted("x".repeat(100)));
        assertEquals("'" + "x".repeat(100) + "…' (5000000 characters)", Problem.quoted("x".repeat(5_000_000)));
        // A cut never splits a surrogate pair: the emoji at 100 and 101 is left out whole.
        assertEquals("'" + "x".repeat(99) + "…' (103 characters)", Problem.quoted("x".repeat(99) + "\uD83D\uDE00xx"));
    }

    @Test
    void detailFieldAndAttemptDetailsAreCutWhateverBuiltThem() throws Exception {
        String huge = "y".repeat(5_000_000);
        Problem problem = Problem.badField(huge, "Field '" + huge + "' is wrong.")
                .withAttempts(List.of(new Problem.Attempt("groq", "org-a", "rejected", 400, 12, "You sent: " + huge)));

        assertTrue(problem.detail().startsWith("Field 'yyy") && problem.detail().endsWith("y… (cut from 5000018 characters)"), problem.detail());
        assertEquals(Problem.MAX_DETAIL_CHARS, problem.detail().length());
        assertTrue(problem.field().startsWith("yyy") && problem.field().endsWith("y… (cut from 5000000 characters)"), problem.field());
        assertEquals(Problem.MAX_FIELD_CHARS, problem.field().length());
        assertTrue(problem.attempts().get(0).detail().endsWith("y… (cut from 5000010 characters)"), problem.attempts().get(0).detail());
        assertEquals(problem, problem.withAttempts(problem.attempts()));
        assertTrue(JSON.writeValueAsBytes(problem).length < 4096);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "400, invalid_request_error", "405, invalid_request_error", "413, invalid_request_error", "415, invalid_request_error",
        "422, invalid_request_error", "401, authentication_error", "403, permission_error", "404, not_found_error",
        "429, rate_limit_error", "500, server_error", "502, server_error", "503, server_error"})
    void errorTypeFollowsTheStatus(int status, String type) {
        assertEquals(type, Problem.OpenAiError.typeOf(status));
    }
}
