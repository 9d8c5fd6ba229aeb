package io.tiergate.classification.llm;

import io.tiergate.common.classification.ChatTurn;
import io.tiergate.common.classification.ClassificationResult;
import io.tiergate.common.extraction.ExtractionAnswers;
import io.tiergate.common.extraction.ExtractionPrompt;
import io.tiergate.common.extraction.ExtractionRequest;
import io.tiergate.common.extraction.ExtractionResponse;
import io.tiergate.common.extraction.ExtractionSchema;
import io.tiergate.common.problem.Problem;
import io.tiergate.common.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

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
        List<ChatTurn> prompt = ExtractionPrompt.build(request, schema);
        String answer = call(prompt);
        ExtractionAnswers.Parsed parsed = ExtractionAnswers.parse(answer, schema);
        boolean repaired = false;
        if (!parsed.valid()) {
            answer = call(ExtractionPrompt.repair(prompt, answer, parsed.problems()));
            ExtractionAnswers.Parsed second = ExtractionAnswers.parse(answer, schema);
            if (!second.valid()) {
                throw new ProblemException(Problem.of(502, "extraction-failed", "Extraction failed",
                        "The LLM's answer did not validate against the schema, also after one repair prompt: "
                                + String.join("; ", second.problems())));
            }
            parsed = second;
            repaired = true;
        }
        return new ExtractionResponse(parsed.data(), parsed.notFound(), ClassificationResult.TIER_LLM, llm.engine(), repaired);
    }

    private String call(List<ChatTurn> prompt) {
        try {
            return llm.chat(prompt);
        } catch (RuntimeException e) {
            throw new ProblemException(Problem.of(502, "llm-tier-failed", "LLM tier failed",
                    "The LLM tier could not be reached: " + e.getMessage()));
        }
    }
}
