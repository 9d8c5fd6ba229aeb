package io.tiergate.router.capability.tasks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import io.tiergate.common.classification.TaskLimitsConfig;
import io.tiergate.common.extraction.ExtractionLimits;
import io.tiergate.common.extraction.ExtractionRequest;
import io.tiergate.common.extraction.ExtractionRequests;
import io.tiergate.router.dispatch.RequestBody;
import io.tiergate.router.pipeline.Answer;
import io.tiergate.router.pipeline.JsonBodies;
import io.tiergate.router.pipeline.Serving;
import io.tiergate.router.scoring.TaskFeatures;
import io.tiergate.router.translation.TranslatorRegistry;
import jakarta.inject.Singleton;

/**
 * {@code POST /v1/extractions}: a JSON object matching the caller's JSON Schema, taken from a text. The schema is
 * checked by the router, with the pod's own limits, before any backend is called; served by pods (passed through) and
 * by chat providers as one chat call plus one repair ({@link TasksOnChatProviders}).
 */
@Singleton
public class ExtractionCapability extends TaskCapability<ExtractionCall> {

    public static final String NAME = "extraction";

    private final ExtractionLimits limits;

    public ExtractionCapability(ObjectMapper mapper, TaskFeatures features, TranslatorRegistry translators,
            TasksOnChatProviders onChat, TaskLimitsConfig limits) {
        super(mapper, features, translators, onChat, ExtractionCall::json);
        this.limits = limits.extraction();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String path() {
        return "/v1/extractions";
    }

    @Override
    public ExtractionCall parse(RequestBody body) {
        ObjectNode json = JsonBodies.object(mapper, body);
        ExtractionRequest request = TaskBodies.read(mapper, json, ExtractionRequest.class);
        return new ExtractionCall(body, json, request, ExtractionRequests.check(request, limits));
    }

    @Override
    public Uni<Answer> serve(Serving<ExtractionCall> serving) {
        ExtractionCall call = serving.request();
        return new PodAndChatRuns(this::takesItDirectly, serving::dispatch, run -> onChat.extract(call.request(), call.schema(), run))
                .serve(serving.candidates(), false);
    }
}
