package io.tiergate.common.classification;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * One batch of lines classified by an LLM over any chat transport: the batched prompt, the parse, one repair prompt
 * for the lines the answer left undecided, then an error entry for each line still undecided, never a guess. The
 * pod's LLM tier and the router's cloud tier both classify through this.
 */
public final class LlmBatchClassification {

    private LlmBatchClassification() {}

    /**
     * Results for {@code batch} (indices into {@code inputs}) in batch order. A failure of the first chat call fails the
     * returned stage, so the caller decides between falling back and reporting; a failed repair call only leaves its
     * lines as errors.
     */
    public static CompletionStage<List<ClassificationResult>> classify(ClassificationTask task, List<ClassificationInput> inputs,
            List<Integer> batch, Function<List<ChatTurn>, CompletionStage<LlmReply>> chat) {
        List<ChatTurn> prompt = ClassificationPrompt.build(task, inputs, batch);
        return chat.apply(prompt).thenCompose(first -> {
            BatchAnswer parsed = ClassificationAnswers.parse(first.text(), batch, task);
            Set<Integer> undecided = parsed.undecided(batch);
            if (undecided.isEmpty()) {
                return CompletableFuture.completedFuture(results(batch, parsed, null, first.engine()));
            }
            return chat.apply(ClassificationPrompt.repair(prompt, first.text(), parsed, undecided, task))
                    .handle((second, failure) -> results(batch, parsed,
                            failure == null ? ClassificationAnswers.parse(second.text(), undecided, task) : null, first.engine()));
        });
    }

    private static List<ClassificationResult> results(List<Integer> batch, BatchAnswer parsed, BatchAnswer repaired, String engine) {
        List<ClassificationResult> results = new ArrayList<>(batch.size());
        for (int id : batch) {
            BatchAnswer.Decision decision = parsed.decided().get(id);
            if (decision == null && repaired != null) {
                decision = repaired.decided().get(id);
            }
            if (decision != null) {
                results.add(ClassificationResult.decided(id, decision.label(), decision.confidence(), ClassificationResult.TIER_LLM, engine));
            } else {
                BatchAnswer last = repaired == null ? parsed : repaired;
                String why = last.problems().getOrDefault(id, last.problems().getOrDefault(null, "the repair call failed"));
                results.add(ClassificationResult.failed(id, engine,
                        "The LLM gave no valid answer for this line, also after one repair prompt: " + why));
            }
        }
        return results;
    }
}
