package io.tiergate.classification.api;

import io.tiergate.classification.llm.LlmExtractor;
import io.tiergate.common.classification.TaskLimitsConfig;
import io.tiergate.common.extraction.ExtractionLimits;
import io.tiergate.common.extraction.ExtractionRequest;
import io.tiergate.common.extraction.ExtractionRequests;
import io.tiergate.common.extraction.ExtractionResponse;
import io.tiergate.common.extraction.ExtractionSchema;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

@Path("/v1/extractions")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class ExtractionResource {

    private final LlmExtractor extractor;
    private final ExtractionLimits limits;

    public ExtractionResource(LlmExtractor extractor, TaskLimitsConfig limits) {
        this.extractor = extractor;
        this.limits = limits.extraction();
    }

    @POST
    public ExtractionResponse extract(ExtractionRequest request) {
        ExtractionSchema schema = ExtractionRequests.check(request, limits);
        return extractor.extract(request, schema);
    }
}
