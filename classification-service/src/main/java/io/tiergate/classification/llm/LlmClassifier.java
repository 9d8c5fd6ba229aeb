package io.tiergate.classification.llm;

import io.tiergate.common.classification.ChatTurn;
import io.tiergate.common.classification.ClassificationInput;
import io.tiergate.common.classification.ClassificationResult;
import io.tiergate.common.classification.ClassificationTask;
import io.tiergate.common.classification.LlmBatchClassification;
import io.tiergate.common.classification.LlmReply;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * Classifies lines with the LLM tier, many lines per call. An answer that is unusable for some lines is
 * repaired once, asking again for those lines only; lines still undecided become errors, never guesses.
 */
@ApplicationScoped
public class LlmClassifier {

    private static final Logger LOG = Logger.getLogger(LlmClassifier.class);

    private final LlmTier llm;

    public LlmClassifier(LlmTier llm) {
        this.llm = llm;
    }

    /** Results for {@code ids} (indices into {@code inputs}), in the order of {@code ids}. */
    public List<ClassificationResult> classify(ClassificationTask task, List<ClassificationInput> inputs, List<Integer> ids) {
        List<ClassificationResult> results = new ArrayList<>(ids.size());
        for (int start = 0; start < ids.size(); start += llm.batchSize()) {
            results.addAll(classifyBatch(task, inputs, ids.subList(start, Math.min(start + llm.batchSize(), ids.size()))));
        }
        return results;
    }

    private List<ClassificationResult> classifyBatch(ClassificationTask task, List<ClassificationInput> inputs, List<Integer> batch) {
        try {
            return LlmBatchClassification.classify(task, inputs, batch, this::chat).toCompletableFuture().join();
        } catch (CompletionException e) {
            String reason = e.getCause() == null ? e.getMessage() : e.getCause().getMessage();
            LOG.warnf("LLM tier call failed for %d lines: %s", batch.size(), reason);
            return failAll(batch, "The LLM tier could not be reached: " + reason);
        }
    }

    /** The model is called on this thread: the stage is complete when returned. */
    private CompletionStage<LlmReply> chat(List<ChatTurn> turns) {
        try {
            return CompletableFuture.completedFuture(new LlmReply(llm.chat(turns), llm.engine()));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private List<ClassificationResult> failAll(List<Integer> batch, String error) {
        return batch.stream().map(id -> ClassificationResult.failed(id, llm.engine(), error)).toList();
    }
}
