package io.tiergate.common.extraction;

import io.tiergate.common.problem.ProblemException;

/** Checks an extraction request; every refusal is a problem naming the offending field. */
public final class ExtractionRequests {

    private ExtractionRequests() {}

    public static ExtractionSchema check(ExtractionRequest request, ExtractionLimits limits) {
        if (request == null) {
            throw ProblemException.badField(null, "The request body is missing; send a JSON object with 'text' and 'schema'.");
        }
        if (request.text() == null || request.text().isBlank()) {
            throw ProblemException.badField("text", "Field 'text' is required and must not be blank.");
        }
        if (request.text().length() > limits.maxTextChars()) {
            throw ProblemException.badField("text",
                    "Field 'text' has " + request.text().length() + " characters; at most " + limits.maxTextChars() + " are allowed.");
        }
        if (request.documentType() != null && request.documentType().length() > 200) {
            throw ProblemException.badField("document_type", "Field 'document_type' is longer than 200 characters.");
        }
        if (request.schema() != null && request.schema().toString().length() > limits.maxSchemaChars()) {
            throw ProblemException.badField("schema", "Field 'schema' is larger than " + limits.maxSchemaChars() + " characters.");
        }
        return ExtractionSchema.compile(request.schema(), "schema");
    }
}
