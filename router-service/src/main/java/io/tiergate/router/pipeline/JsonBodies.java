package io.tiergate.router.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiergate.common.problem.Problem;
import io.tiergate.common.problem.ProblemException;
import io.tiergate.common.problem.ProblemMappers;
import io.tiergate.router.dispatch.RequestBody;
import java.io.IOException;

/** Reads a routed JSON body, with the same 400 problems on every endpoint. */
public final class JsonBodies {

    private JsonBodies() {}

    /** The body as a JSON object; anything else is a 400 problem. */
    public static ObjectNode object(ObjectMapper mapper, RequestBody body) {
        if (!(body instanceof RequestBody.InMemory inMemory)) {
            throw new IllegalStateException("JSON bodies are read into memory, never spooled");
        }
        return object(mapper, inMemory.bytes().getBytes());
    }

    public static ObjectNode object(ObjectMapper mapper, byte[] json) {
        JsonNode root;
        try {
            root = json.length == 0 ? null : mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ProblemException(ProblemMappers.malformedJson(e));
        } catch (IOException e) {
            throw new ProblemException(Problem.of(400, "malformed-json", "Malformed JSON", "The request body cannot be read"));
        }
        if (root == null || !root.isObject()) {
            throw ProblemException.badField(null, "The request body must be a JSON object");
        }
        return (ObjectNode) root;
    }
}
