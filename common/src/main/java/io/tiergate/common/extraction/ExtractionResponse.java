package io.tiergate.common.extraction;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/**
 * Answer of {@code POST /v1/extractions}: {@code data} validates against the request's schema (every
 * property present, null where the text does not say); {@code not_found} lists those null properties.
 */
@RegisterForReflection
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExtractionResponse(JsonNode data, List<String> notFound, String tier, String engine, boolean repaired) {}
