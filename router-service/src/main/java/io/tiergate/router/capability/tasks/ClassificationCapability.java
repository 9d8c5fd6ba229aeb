package io.tiergate.router.capability.tasks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import io.tiergate.common.classification.ClassificationLimits;
import io.tiergate.common.classification.ClassificationRequest;
import io.tiergate.common.classification.ClassificationRequests;
import io.tiergate.common.classification.ClassificationResult;
import io.tiergate.common.classification.TaskLimitsConfig;
import io.tiergate.router.dispatch.RequestBody;
import io.tiergate.router.pipeline.Answer;
import io.tiergate.router.pipeline.JsonBodies;
import io.tiergate.router.pipeline.Serving;
import io.tiergate.router.scoring.TaskFeatures;
import io.tiergate.router.translation.TranslatorRegistry;
import jakarta.inject.Singleton;

/**
 * {@code POST /v1/classifications}: many lines per call, against given labels or a built-in task. Checked by the router
 * itself, with the pod's own limits, before any backend is called; served by pods (passed through) and by chat
 * providers as batched chat calls ({@link TasksOnChatProviders}), walked in plan order ({@link PodAndChatRuns}).
 */
@Singleton
public class ClassificationCapability extends TaskCapability<ClassificationCall> {

    public static final String NAME = "classification";

    private final ClassificationLimits limits;

    public ClassificationCapability(ObjectMapper mapper, TaskFeatures features, TranslatorRegistry translators,
            TasksOnChatProviders onChat, TaskLimitsConfig limits) {
        super(mapper, features, translators, onChat, ClassificationCall::json);
        this.limits = limits.classification();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String path() {
        return "/v1/classifications";
    }

    @Override
    public ClassificationCall parse(RequestBody body) {
        ObjectNode json = JsonBodies.object(mapper, body);
        ClassificationRequest request = TaskBodies.read(mapper, json, ClassificationRequest.class);
        return new ClassificationCall(body, json, request, ClassificationRequests.resolve(request, limits),
                ClassificationRequests.tierOf(request).equals(ClassificationResult.TIER_LOCAL));
    }

    /** A caller asking for the local tier only is served by pods alone: chat providers have no local tier. */
    @Override
    public Uni<Answer> serve(Serving<ClassificationCall> serving) {
        ClassificationCall call = serving.request();
        return new PodAndChatRuns(this::takesItDirectly, serving::dispatch,
                run -> onChat.classify(call.task(), call.request().inputs(), run))
                .serve(serving.candidates(), call.localTierOnly());
    }
}
