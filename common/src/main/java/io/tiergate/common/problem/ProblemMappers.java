package io.tiergate.common.problem;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.quarkus.hibernate.validator.runtime.jaxrs.ResteasyReactiveViolationException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Turns every failure a JAX-RS resource can raise into a problem body, so no client ever sees
 * an HTML error page or a bare 500.
 */
public final class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    /** How Jackson names its own settings and types in a message ("enable `JsonReadFeature...` to allow"): not the caller's concern. */
    private static final Pattern READER_INTERNALS =
            Pattern.compile("\\s*(?::\\s*(?:enable|not allowed as per) `[^`]*`(?: to allow)?|\\(bound as `[^`]*`\\))");

    private ProblemMappers() {}

    public static Response toResponse(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    /** The dotted JSON path of the field a Jackson mapping error is about, or null at the root. */
    public static String fieldOf(JsonMappingException e) {
        String path = e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."))
                .replace(".[", "[");
        return path.isEmpty() ? null : path;
    }

    /** A body that does not fit the expected structure: a 400 naming the field when there is one. */
    public static Problem problemOf(JsonMappingException e) {
        String field = fieldOf(e);
        if (field == null) {
            return Problem.badField(null, "The request body does not have the expected JSON structure: " + readerMessage(e));
        }
        String reason = e instanceof UnrecognizedPropertyException unknown
                // Jackson's own message quotes the unknown name in full, however long it is.
                ? "is not a known field; the known fields are " + unknown.getKnownPropertyIds()
                : e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null
                        ? "must be " + expected(mismatch.getTargetType()) + sent(mismatch)
                        : "has the wrong type or format: " + readerMessage(e);
        return Problem.badField(field, "Field " + Problem.quoted(field) + " " + reason);
    }

    /** What a field of {@code type} takes, in the caller's terms rather than Java's. */
    private static String expected(Class<?> type) {
        if (type == String.class || type == Character.class || type == char.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == Long.class || type == long.class || type == Integer.class || type == int.class || type == Short.class
                || type == short.class || type == BigInteger.class) {
            return "a whole number";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "a number";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants()).map(Object::toString).toList();
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "an object";
    }

    /** What the caller sent instead, when the reader still knows. */
    private static String sent(MismatchedInputException e) {
        if (!(e.getProcessor() instanceof JsonParser parser) || parser.currentToken() == null) {
            return "";
        }
        return switch (parser.currentToken()) {
            case VALUE_STRING -> ", not a string";
            case VALUE_NUMBER_INT -> ", not a whole number";
            case VALUE_NUMBER_FLOAT -> ", not a number with a fraction";
            case VALUE_TRUE, VALUE_FALSE -> ", not a boolean";
            case VALUE_NULL -> ", not null";
            case START_ARRAY -> ", not an array";
            case START_OBJECT -> ", not an object";
            default -> "";
        };
    }

    /** A body that is not JSON: a 400 naming the field where reading stopped when that was inside one. */
    public static Problem malformedJson(JsonProcessingException e) {
        String field = e.getProcessor() instanceof JsonParser parser ? pathOf(parser.getParsingContext()) : null;
        String where = field == null ? "" : " at field " + Problem.quoted(field);
        return Problem.ofField(400, "malformed-json", "Malformed JSON", field,
                "The request body is not valid JSON" + where + ": " + readerMessage(e));
    }

    /** Jackson's message without the names of its own settings and types. */
    private static String readerMessage(JsonProcessingException e) {
        return READER_INTERNALS.matcher(e.getOriginalMessage()).replaceAll("");
    }

    private static String pathOf(JsonStreamContext context) {
        Deque<String> parts = new ArrayDeque<>();
        for (JsonStreamContext at = context; at != null && !at.inRoot(); at = at.getParent()) {
            if (at.inArray()) {
                parts.addFirst("[" + Math.max(0, at.getCurrentIndex()) + "]");
            } else if (at.getCurrentName() != null) {
                parts.addFirst(at.getCurrentName());
            }
        }
        return parts.isEmpty() ? null : String.join(".", parts).replace(".[", "[");
    }

    @Provider
    public static class ProblemExceptionMapper implements ExceptionMapper<ProblemException> {
        @Override
        public Response toResponse(ProblemException e) {
            return ProblemMappers.toResponse(e.problem());
        }
    }

    @Provider
    public static class JsonMappingMapper implements ExceptionMapper<JsonMappingException> {
        @Override
        public Response toResponse(JsonMappingException e) {
            return ProblemMappers.toResponse(problemOf(e));
        }
    }

    /** Quarkus maps this subtype itself (with a plain JSON body); ours must be as specific to win. */
    @Provider
    public static class MismatchedInputMapper implements ExceptionMapper<MismatchedInputException> {
        @Override
        public Response toResponse(MismatchedInputException e) {
            return new JsonMappingMapper().toResponse(e);
        }
    }

    @Provider
    public static class JsonParseMapper implements ExceptionMapper<JsonParseException> {
        @Override
        public Response toResponse(JsonParseException e) {
            return new JsonProcessingMapper().toResponse(e);
        }
    }

    @Provider
    public static class JsonProcessingMapper implements ExceptionMapper<JsonProcessingException> {
        @Override
        public Response toResponse(JsonProcessingException e) {
            return ProblemMappers.toResponse(malformedJson(e));
        }
    }

    /** Quarkus's validator maps its own subtype to a plain JSON report; ours must be as specific to win. */
    @Provider
    public static class ResteasyViolationMapper implements ExceptionMapper<ResteasyReactiveViolationException> {
        @Override
        public Response toResponse(ResteasyReactiveViolationException e) {
            return new ConstraintViolationMapper().toResponse(e);
        }
    }

    @Provider
    public static class ConstraintViolationMapper implements ExceptionMapper<ConstraintViolationException> {
        @Override
        public Response toResponse(ConstraintViolationException e) {
            ConstraintViolation<?> first = e.getConstraintViolations().iterator().next();
            String path = first.getPropertyPath().toString();
            // Method-parameter paths look like "reserve.request.amount"; callers know the body field only.
            String field = path.contains(".") ? path.substring(path.indexOf('.', path.indexOf('.') + 1) + 1) : path;
            return ProblemMappers.toResponse(Problem.badField(field, "Field " + Problem.quoted(field) + " " + first.getMessage()));
        }
    }

    @Provider
    public static class WebApplicationMapper implements ExceptionMapper<WebApplicationException> {
        @Override
        public Response toResponse(WebApplicationException e) {
            int status = e.getResponse().getStatus();
            if (e.getCause() instanceof JsonMappingException mapping) {
                return new JsonMappingMapper().toResponse(mapping);
            }
            if (e.getCause() instanceof JsonProcessingException processing) {
                return new JsonProcessingMapper().toResponse(processing);
            }
            Response.StatusType info = Response.Status.fromStatusCode(status);
            String title = info != null ? info.getReasonPhrase() : "HTTP " + status;
            return ProblemMappers.toResponse(Problem.of(status, title.toLowerCase().replace(' ', '-'), title, e.getMessage()));
        }
    }

    @Provider
    public static class UnexpectedMapper implements ExceptionMapper<Exception> {

        @Override
        public Response toResponse(Exception e) {
            LOG.error("Unexpected failure", e);
            return ProblemMappers.toResponse(
                    Problem.of(500, "internal-error", "Internal error", "The request failed unexpectedly; see the service log."));
        }
    }
}
