package io.tiergate.classification.cascade;

import io.micrometer.core.instrument.MeterRegistry;
import io.tiergate.classification.config.ClassificationConfig;
import io.tiergate.classification.llm.LlmClassifier;
import io.tiergate.classification.llm.LlmTier;
import io.tiergate.classification.local.LocalTier;
import io.tiergate.classification.local.TaskModel;
import io.tiergate.common.classification.ClassificationLimits;
import io.tiergate.common.classification.ClassificationRequest;
import io.tiergate.common.classification.ClassificationRequests;
import io.tiergate.common.classification.ClassificationResponse;
import io.tiergate.common.classification.ClassificationResult;
import io.tiergate.common.classification.ClassificationTask;
import io.tiergate.common.classification.TaskLimitsConfig;
import io.tiergate.common.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The confidence cascade: the local tier decides every line, and lines it is unsure of (confidence under the
 * threshold) go to the LLM tier when one is configured. The classification analogue of complexity routing.
 */
@ApplicationScoped
public class ClassificationCascade {

    private final ClassificationConfig config;
    private final ClassificationLimits limits;
    private final LocalTier local;
    private final LlmTier llm;
    private final LlmClassifier llmClassifier;
    private final MeterRegistry registry;

    public ClassificationCascade(ClassificationConfig config, TaskLimitsConfig limits, LocalTier local, LlmTier llm,
            LlmClassifier llmClassifier, MeterRegistry registry) {
        this.config = config;
        this.limits = limits.classification();
        this.local = local;
        this.llm = llm;
        this.llmClassifier = llmClassifier;
        this.registry = registry;
    }

    public ClassificationResponse classify(ClassificationRequest request) {
        ClassificationTask task = ClassificationRequests.resolve(request, limits);
        String tier = ClassificationRequests.tierOf(request);
        double threshold = request.escalationThreshold() != null ? request.escalationThreshold() : config.cascade().threshold();
        int lines = request.inputs().size();
        List<Integer> all = new ArrayList<>(lines);
        for (int i = 0; i < lines; i++) {
            all.add(i);
        }

        List<ClassificationResult> results;
        ClassificationResponse.Cascade cascade;
        if ("llm".equals(tier)) {
            if (!llm.available()) {
                throw ProblemException.badField("tier", "Field 'tier' asks for the LLM tier, and this pod has none configured; use 'auto' or 'local'.");
            }
            results = llmClassifier.classify(task, request.inputs(), all);
            cascade = new ClassificationResponse.Cascade(tier, null, true, 0, lines, null);
        } else {
            List<TaskModel.Prediction> predictions = local.classify(task, request.inputs());
            results = new ArrayList<>(lines);
            List<Integer> unsure = new ArrayList<>();
            for (int i = 0; i < lines; i++) {
                TaskModel.Prediction p = predictions.get(i);
                results.add(ClassificationResult.decided(i, p.label(), p.confidence(), ClassificationResult.TIER_LOCAL, local.engine()));
                if (p.confidence() < threshold) {
                    unsure.add(i);
                }
            }
            boolean escalate = "auto".equals(tier) && llm.available() && !unsure.isEmpty();
            if (escalate) {
                for (ClassificationResult escalated : llmClassifier.classify(task, request.inputs(), unsure)) {
                    results.set(escalated.index(), escalated);
                }
            }
            String note = null;
            if ("auto".equals(tier) && !llm.available() && !unsure.isEmpty()) {
                note = unsure.size() + " lines were under the confidence threshold, but this pod has no LLM tier configured,"
                        + " so their local answers stand.";
            }
            cascade = new ClassificationResponse.Cascade(tier, threshold, llm.available(), unsure.size(), escalate ? unsure.size() : 0, note);
        }
        Map<String, Integer> decidedBy = new LinkedHashMap<>();
        decidedBy.put(ClassificationResult.TIER_LOCAL, 0);
        decidedBy.put(ClassificationResult.TIER_LLM, 0);
        decidedBy.put(ClassificationResult.TIER_ERROR, 0);
        results.forEach(result -> decidedBy.merge(result.tier(), 1, Integer::sum));
        decidedBy.forEach((decider, count) -> registry.counter("tiergate.classification.lines", "tier", decider).increment(count));
        return new ClassificationResponse(task.name(), results, decidedBy, cascade);
    }
}
