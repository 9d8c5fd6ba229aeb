package io.tiergate.classification.llm;

import io.tiergate.common.classification.ChatTurn;
import io.tiergate.common.classification.LlmReply;
import io.tiergate.common.extraction.ExtractionRequest;
import io.tiergate.common.extraction.ExtractionResponse;
import io.tiergate.common.extraction.ExtractionSchema;
import io.tiergate.common.extraction.LlmExtraction;
import io.tiergate.common.problem.Problem;
import io.tiergate.common.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/** Extracts a schema's fields from a text with the LLM tier, repairing an unusable answer once. */
@ApplicationScoped
public class LlmExtractor {

    private final LlmTier llm;

    public LlmExtractor(LlmTier llm) {
        this.llm = llm;
    }

    public ExtractionResponse extract(ExtractionRequest request, ExtractionSchema schema) {
        if (!llm.available()) {
            throw new ProblemException(Problem.of(422, "llm-tier-unavailable", "No LLM tier",
                    "Extraction needs the LLM tier, and this pod has none configured (tiergate.classification.llm.enabled)."));
        }
        try {
            return LlmExtraction.extract(request, schema, this::call).toCompletableFuture().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof ProblemException problem ? problem : e;
        }
    }

    /** The model is called on this thread: the stage is complete when returned. */
    private CompletionStage<LlmReply> call(List<ChatTurn> prompt) {
        try {
            return CompletableFuture.completedFuture(new LlmReply(llm.chat(prompt), llm.engine()));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new ProblemException(Problem.of(502, "llm-tier-failed", "LLM tier failed",
                    "The LLM tier could not be reached: " + e.getMessage())));
        }
    }
}
