package io.tiergate.common.extraction;

import io.tiergate.common.classification.ChatTurn;
import io.tiergate.common.classification.ClassificationResult;
import io.tiergate.common.classification.LlmReply;
import io.tiergate.common.problem.Problem;
import io.tiergate.common.problem.ProblemException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * An extraction by an LLM over any chat transport: the prompt, validation against the schema, one repair prompt
 * for an answer that does not validate, then a 502 problem, never an invented object. The pod's LLM tier and the
 * router's cloud tier both extract through this.
 */
public final class LlmExtraction {

    private LlmExtraction() {}

    /** A failure of a chat call fails the returned stage as it is, so the caller decides between fallback and reporting. */
    public static CompletionStage<ExtractionResponse> extract(ExtractionRequest request, ExtractionSchema schema,
            Function<List<ChatTurn>, CompletionStage<LlmReply>> chat) {
        List<ChatTurn> prompt = ExtractionPrompt.build(request, schema);
        return chat.apply(prompt).thenCompose(first -> {
            ExtractionAnswers.Parsed parsed = ExtractionAnswers.parse(first.text(), schema);
            if (parsed.valid()) {
                return CompletableFuture.completedFuture(response(parsed, first, false));
            }
            return chat.apply(ExtractionPrompt.repair(prompt, first.text(), parsed.problems())).thenApply(second -> {
                ExtractionAnswers.Parsed repaired = ExtractionAnswers.parse(second.text(), schema);
                if (!repaired.valid()) {
                    throw new ProblemException(Problem.of(502, "extraction-failed", "Extraction failed",
                            "The LLM's answer did not validate against the schema, also after one repair prompt: "
                                    + String.join("; ", repaired.problems())));
                }
                return response(repaired, second, true);
            });
        });
    }

    private static ExtractionResponse response(ExtractionAnswers.Parsed parsed, LlmReply reply, boolean repaired) {
        return new ExtractionResponse(parsed.data(), parsed.notFound(), ClassificationResult.TIER_LLM, reply.engine(), repaired);
    }
}
