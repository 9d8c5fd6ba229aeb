package io.tiergate.classification.llm;

import io.tiergate.common.classification.BatchAnswer;
import io.tiergate.common.classification.ChatTurn;
import io.tiergate.common.classification.ClassificationAnswers;
import io.tiergate.common.classification.ClassificationInput;
import io.tiergate.common.classification.ClassificationPrompt;
import io.tiergate.common.classification.ClassificationResult;
import io.tiergate.common.classification.ClassificationTask;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
        List<ChatTurn> prompt = ClassificationPrompt.build(task, inputs, batch);
        String answer;
        try {
            answer = llm.chat(prompt);
        } catch (RuntimeException e) {
            LOG.warnf("LLM tier call failed for %d lines: %s", batch.size(), e.getMessage());
            return failAll(batch, "The LLM tier could not be reached: " + e.getMessage());
        }
        BatchAnswer parsed = ClassificationAnswers.parse(answer, batch, task);
        Set<Integer> undecided = parsed.undecided(batch);
        BatchAnswer repaired = null;
        if (!undecided.isEmpty()) {
            LOG.debugf("Repairing the LLM answer for %d of %d lines: %s", undecided.size(), batch.size(), parsed.problems());
            try {
                String second = llm.chat(ClassificationPrompt.repair(prompt, answer, parsed, undecided, task));
                repaired = ClassificationAnswers.parse(second, undecided, task);
            } catch (RuntimeException e) {
                LOG.warnf("LLM tier repair call failed for %d lines: %s", undecided.size(), e.getMessage());
            }
        }
        List<ClassificationResult> results = new ArrayList<>(batch.size());
        for (int id : batch) {
            BatchAnswer.Decision decision = parsed.decided().get(id);
            if (decision == null && repaired != null) {
                decision = repaired.decided().get(id);
            }
            if (decision != null) {
                results.add(ClassificationResult.decided(id, decision.label(), decision.confidence(), ClassificationResult.TIER_LLM, llm.engine()));
            } else {
                String why = repaired == null ? parsed.problems().getOrDefault(id, generalProblem(parsed.problems()))
                        : repaired.problems().getOrDefault(id, generalProblem(repaired.problems()));
                results.add(ClassificationResult.failed(id, llm.engine(),
                        "The LLM gave no valid answer for this line, also after one repair prompt: " + why));
            }
        }
        return results;
    }

    private static String generalProblem(Map<Integer, String> problems) {
        return problems.getOrDefault(null, "the repair call failed");
    }

    private List<ClassificationResult> failAll(List<Integer> batch, String error) {
        return batch.stream().map(id -> ClassificationResult.failed(id, llm.engine(), error)).toList();
    }
}
