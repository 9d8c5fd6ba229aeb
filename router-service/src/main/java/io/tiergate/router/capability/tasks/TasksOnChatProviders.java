package io.tiergate.router.capability.tasks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.tiergate.common.classification.ChatTurn;
import io.tiergate.common.classification.ClassificationInput;
import io.tiergate.common.classification.ClassificationResponse;
import io.tiergate.common.classification.ClassificationResult;
import io.tiergate.common.classification.ClassificationTask;
import io.tiergate.common.classification.LlmBatchClassification;
import io.tiergate.common.classification.LlmReply;
import io.tiergate.common.extraction.ExtractionRequest;
import io.tiergate.common.extraction.ExtractionSchema;
import io.tiergate.common.extraction.LlmExtraction;
import io.tiergate.common.problem.Problem;
import io.tiergate.common.problem.ProblemException;
import io.tiergate.router.capability.chat.ChatCapability;
import io.tiergate.router.capability.chat.ChatRequest;
import io.tiergate.router.config.RouterConfig;
import io.tiergate.router.dispatch.Dispatched;
import io.tiergate.router.pipeline.Answer;
import io.tiergate.router.pipeline.TranslatedDispatch;
import io.tiergate.router.routing.Candidate;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Classifications and extractions served by chat-protocol providers (cloud LLM accounts) instead of a pod, as chat
 * calls built and read by the shared task logic. A classification's lines are split into batches, each one prompt
 * plus one repair for lines left undecided, then error entries ({@link LlmBatchClassification}); an extraction is one
 * prompt plus one repair of an answer that does not validate, then a 502 ({@link LlmExtraction}). Every chat call is
 * dispatched on its own over the given candidates, so each takes a quota reservation and passes the breakers,
 * retries and fallback like any chat request. A call no candidate could serve fails the whole task, so the caller can
 * fall back to other backends rather than answer with holes.
 */
@ApplicationScoped
public class TasksOnChatProviders {

    /** Room in an answer per line: its id, label and confidence as JSON. */
    private static final int ANSWER_TOKENS_PER_LINE = 40;
    private static final int ANSWER_TOKENS_BASE = 64;
    /** Room for an extracted JSON object. */
    private static final int EXTRACTION_ANSWER_TOKENS = 2048;

    private final ObjectMapper mapper;
    private final RouterConfig.CloudClassification config;
    private final TranslatedDispatch dispatch;

    public TasksOnChatProviders(ObjectMapper mapper, RouterConfig config, TranslatedDispatch dispatch) {
        this.mapper = mapper;
        this.config = config.classification();
        this.dispatch = dispatch;
    }

    /** What the chat calls of one task went through, for its routing headers. */
    private static final class Calls {
        private final AtomicReference<Answer.Relayed> last = new AtomicReference<>();
        private final AtomicInteger attempts = new AtomicInteger();

        Answer answered(Object response) {
            return new Answer.Composed(response, last.get().last(), attempts.get());
        }
    }

    /** The answer in the pod's shape, with the last chat call's backend (for the routing headers) and all attempts made. */
    public Uni<Answer> extract(ExtractionRequest request, ExtractionSchema schema, List<Candidate> candidates) {
        Calls calls = new Calls();
        return Uni.createFrom().completionStage(() -> LlmExtraction.extract(request, schema,
                        turns -> chat(turns, EXTRACTION_ANSWER_TOKENS, candidates, calls)))
                .onFailure(CompletionException.class).transform(Throwable::getCause)
                .map(calls::answered);
    }

    public Uni<Answer> classify(ClassificationTask task, List<ClassificationInput> inputs, List<Candidate> candidates) {
        List<List<Integer>> batches = new ArrayList<>();
        for (int start = 0; start < inputs.size(); start += config.batchSize()) {
            List<Integer> batch = new ArrayList<>();
            for (int id = start; id < Math.min(start + config.batchSize(), inputs.size()); id++) {
                batch.add(id);
            }
            batches.add(batch);
        }
        Calls calls = new Calls();
        return Multi.createFrom().iterable(batches)
                .onItem().transformToUni(batch -> Uni.createFrom().completionStage(() -> LlmBatchClassification.classify(task, inputs,
                        batch, turns -> chat(turns, ANSWER_TOKENS_BASE + ANSWER_TOKENS_PER_LINE * batch.size(), candidates, calls))))
                .merge(config.concurrency())
                .collect().in(ArrayList<ClassificationResult>::new, List::addAll)
                .onFailure(CompletionException.class).transform(Throwable::getCause)
                .map(results -> calls.answered(response(task, results)));
    }

    private CompletionStage<LlmReply> chat(List<ChatTurn> turns, int maxTokens, List<Candidate> candidates, Calls calls) {
        ChatRequest chat = ChatRequest.parse(mapper, chatBody(turns, maxTokens));
        return dispatch.dispatch(ChatCapability.NAME, chat, ChatCapability.estimateOf(chat), candidates)
                .map(relayed -> {
                    calls.last.set(relayed);
                    calls.attempts.addAndGet(relayed.attempts());
                    return new LlmReply(answerText(relayed), engine(relayed.last()));
                })
                .subscribeAsCompletionStage();
    }

    private byte[] chatBody(List<ChatTurn> turns, int maxTokens) {
        ObjectNode body = mapper.createObjectNode();
        ArrayNode messages = body.putArray("messages");
        turns.forEach(turn -> messages.addObject().put("role", turn.role()).put("content", turn.content()));
        body.put("temperature", 0);
        body.put("max_tokens", maxTokens);
        try {
            return mapper.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a chat body of plain strings always serializes", e);
        }
    }

    /** The assistant's text; an answer the provider refused (a 4xx it does not retry) is no answer at all. */
    private String answerText(Answer.Relayed relayed) {
        Dispatched dispatched = relayed.last();
        if (dispatched.reply().status() >= 300) {
            throw new ProblemException(Problem.of(502, "upstream-rejected", "Provider rejected the prompt",
                    dispatched.candidate().provider().name() + " answered HTTP " + dispatched.reply().status()));
        }
        var openAi = relayed.translator().toCaller(dispatched.reply().body());
        try {
            JsonNode content = mapper.readTree(openAi.getBytes()).path("choices").path(0).path("message").path("content");
            return content.isTextual() ? content.asText() : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static String engine(Dispatched dispatched) {
        String provider = dispatched.candidate().provider().name();
        return dispatched.candidate().model().map(model -> provider + "/" + model).orElse(provider);
    }

    private static ClassificationResponse response(ClassificationTask task, List<ClassificationResult> results) {
        results.sort(Comparator.comparingInt(ClassificationResult::index));
        Map<String, Integer> decidedBy = new LinkedHashMap<>();
        decidedBy.put(ClassificationResult.TIER_LOCAL, 0);
        decidedBy.put(ClassificationResult.TIER_LLM, 0);
        decidedBy.put(ClassificationResult.TIER_ERROR, 0);
        results.forEach(result -> decidedBy.merge(result.tier(), 1, Integer::sum));
        return new ClassificationResponse(task.name(), results, decidedBy,
                new ClassificationResponse.Cascade(ClassificationResult.TIER_LLM, null, true, 0, results.size(), null));
    }
}
