package io.tiergate.router.capability.tasks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiergate.common.extraction.ExtractionRequest;
import io.tiergate.common.extraction.ExtractionSchema;
import io.tiergate.router.dispatch.RequestBody;

/** An extraction as routed: the body as sent (passed to pods unchanged), as read, and with its checked schema. */
public record ExtractionCall(RequestBody body, ObjectNode json, ExtractionRequest request, ExtractionSchema schema) {}
