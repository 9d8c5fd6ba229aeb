package io.tiergate.router.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.smallrye.mutiny.Uni;
import io.tiergate.common.classification.ClassificationLimits;
import io.tiergate.common.classification.ClassificationRequest;
import io.tiergate.common.classification.ClassificationRequests;
import io.tiergate.common.classification.ClassificationResult;
import io.tiergate.common.classification.ClassificationTask;
import io.tiergate.common.extraction.ExtractionLimits;
import io.tiergate.common.extraction.ExtractionRequest;
import io.tiergate.common.extraction.ExtractionRequests;
import io.tiergate.common.extraction.ExtractionSchema;
import io.tiergate.common.problem.Problem;
import io.tiergate.common.problem.ProblemException;
import io.tiergate.common.problem.ProblemMappers;
import io.tiergate.router.config.RouterConfig;
import io.tiergate.router.dispatch.Dispatched;
import io.tiergate.router.dispatch.Dispatcher;
import io.tiergate.router.dispatch.NoBackendAvailableException;
import io.tiergate.router.providers.Capability;
import io.tiergate.router.providers.Protocol;
import io.tiergate.router.providers.ProviderRegistry;
import io.tiergate.router.routing.Candidate;
import io.tiergate.router.routing.RoutePlan;
import io.tiergate.router.routing.RoutePlanner;
import io.tiergate.router.scoring.ComplexityScore;
import io.tiergate.router.scoring.TaskComplexityScorer;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code POST /v1/classifications}, {@code /v1/extractions} and {@code /v1/embeddings}: scored by their
 * size and shape, then routed like chat (same headers, fallback, breakers and quota) to the backends that
 * can serve them: Tiergate's classification pods, for embeddings OpenAI-compatible providers, and for
 * classifications and extractions chat providers too, through {@link CloudTasks}.
 *
 * <p>A classification or extraction plan is walked in runs of consecutive candidates of one kind, in plan order: a run of
 * pods gets the whole request passed through (with fallback among them), a run of chat providers gets it as
 * batched chat calls. When every backend of a run fails, the next run takes over.
 */
@ApplicationScoped
public class TaskRoutes {

    /** The path under {@code /v1} of each endpoint and the capability it needs. */
    private static final String CLASSIFICATIONS = "/classifications";
    private static final String EXTRACTIONS = "/extractions";
    private static final Map<String, Capability> ENDPOINTS = Map.of(
            CLASSIFICATIONS, Capability.CLASSIFICATION,
            EXTRACTIONS, Capability.CLASSIFICATION,
            "/embeddings", Capability.EMBEDDINGS);

    private final ObjectMapper mapper;
    private final RouterConfig config;
    private final ProviderRegistry registry;
    private final TaskComplexityScorer scorer;
    private final RoutePlanner planner;
    private final Dispatcher dispatcher;
    private final CloudTasks cloud;
    private final RoutedResponses responses;

    public TaskRoutes(ObjectMapper mapper, RouterConfig config, ProviderRegistry registry, TaskComplexityScorer scorer,
            RoutePlanner planner, Dispatcher dispatcher, CloudTasks cloud, RoutedResponses responses) {
        this.mapper = mapper;
        this.config = config;
        this.registry = registry;
        this.scorer = scorer;
        this.planner = planner;
        this.dispatcher = dispatcher;
        this.cloud = cloud;
        this.responses = responses;
    }

    void install(@Observes Router router) {
        ENDPOINTS.forEach((path, capability) -> router.post("/v1" + path)
                .handler(BodyHandler.create(false).setBodyLimit(config.maxBodyBytes()))
                .handler(ctx -> handle(ctx, path, capability))
                .failureHandler(responses::onFailure));
    }

    private void handle(RoutingContext ctx, String path, Capability capability) {
        long started = System.nanoTime();
        RoutingHeaders routing = RoutingHeaders.parse(ctx.request()::getHeader, registry, responses.requestId(ctx));
        Buffer body = ctx.body().buffer();
        JsonNode root = parse(body);
        ComplexityScore score = scorer.score(root);
        RoutePlan plan = planner.plan(routing.routeRequest(capability, score));
        responses.planned(ctx, score, plan);
        PassThroughExchange passThrough = new PassThroughExchange(path, body, score.estimatedPromptTokens(), mapper);
        if (path.equals(CLASSIFICATIONS)) {
            ClassificationRequest request = read(root, ClassificationRequest.class);
            ClassificationTask task = ClassificationRequests.resolve(request, ClassificationLimits.DEFAULT);
            boolean localTierOnly = ClassificationRequests.tierOf(request).equals(ClassificationResult.TIER_LOCAL);
            serve(ctx, capability, runsOf(plan.candidates(), localTierOnly), 0, passThrough,
                    candidates -> cloud.classify(task, request.inputs(), candidates), plan, started, null);
        } else if (path.equals(EXTRACTIONS)) {
            ExtractionRequest request = read(root, ExtractionRequest.class);
            ExtractionSchema schema = ExtractionRequests.check(request, ExtractionLimits.DEFAULT);
            serve(ctx, capability, runsOf(plan.candidates(), false), 0, passThrough,
                    candidates -> cloud.extract(request, schema, candidates), plan, started, null);
        } else {
            dispatcher.dispatch(plan.candidates(), passThrough)
                    .subscribe().with(
                            dispatched -> respond(ctx, capability, dispatched, started),
                            failure -> responses.failed(ctx, capability, plan, failure, started));
        }
    }

    /** Tries run after run: the whole body to a run of pods, {@code onChatProviders} for a run of chat providers. */
    private void serve(RoutingContext ctx, Capability capability, List<List<Candidate>> runs, int run, PassThroughExchange passThrough,
            Function<List<Candidate>, Uni<CloudTasks.Answered>> onChatProviders, RoutePlan plan, long started,
            NoBackendAvailableException earlier) {
        if (run == runs.size()) {
            responses.failed(ctx, capability, plan, earlier != null ? earlier
                    : new NoBackendAvailableException("No backend can serve this request", List.of(), false, null), started);
            return;
        }
        List<Candidate> candidates = runs.get(run);
        Uni<Void> served = isPod(candidates.get(0))
                ? dispatcher.dispatch(candidates, passThrough).invoke(dispatched -> respond(ctx, capability, dispatched, started))
                        .replaceWithVoid()
                : onChatProviders.apply(candidates).invoke(answered -> respond(ctx, capability, answered, started)).replaceWithVoid();
        served.subscribe().with(ignored -> { }, failure -> {
            if (failure instanceof NoBackendAvailableException exhausted) {
                serve(ctx, capability, runs, run + 1, passThrough, onChatProviders, plan, started, exhausted.after(earlier));
            } else {
                ctx.fail(failure);
            }
        });
    }

    /** Consecutive candidates of one kind (pods, chat providers); chat providers have no local tier to offer. */
    private static List<List<Candidate>> runsOf(List<Candidate> candidates, boolean localTierOnly) {
        List<List<Candidate>> runs = new ArrayList<>();
        for (Candidate candidate : candidates) {
            if (localTierOnly && !isPod(candidate)) {
                continue;
            }
            if (runs.isEmpty() || isPod(runs.get(runs.size() - 1).get(0)) != isPod(candidate)) {
                runs.add(new ArrayList<>());
            }
            runs.get(runs.size() - 1).add(candidate);
        }
        return runs;
    }

    private static boolean isPod(Candidate candidate) {
        return candidate.provider().protocol() == Protocol.POD;
    }

    private <T> T read(JsonNode root, Class<T> type) {
        try {
            return mapper.treeToValue(root, type);
        } catch (JsonMappingException e) {
            String field = ProblemMappers.fieldOf(e);
            throw ProblemException.badField(field, field == null
                    ? "The request body does not have the expected JSON structure: " + e.getOriginalMessage()
                    : "Field '" + field + "' has the wrong type or format: " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw ProblemException.badField(null, "The request body cannot be read: " + e.getOriginalMessage());
        }
    }

    private void respond(RoutingContext ctx, Capability capability, CloudTasks.Answered answered, long started) {
        Buffer json;
        try {
            json = Buffer.buffer(mapper.writeValueAsBytes(answered.response()));
        } catch (JsonProcessingException e) {
            ctx.fail(e);
            return;
        }
        responses.answered(ctx, capability, answered.last(), started)
                .setStatusCode(200)
                .putHeader(RoutingHeaders.ATTEMPTS, Integer.toString(answered.attempts()))
                .putHeader(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .end(json);
    }

    private JsonNode parse(Buffer body) {
        JsonNode root;
        try {
            root = body == null ? null : mapper.readTree(body.getBytes());
        } catch (JsonProcessingException e) {
            throw new ProblemException(Problem.of(400, "malformed-json", "Malformed JSON",
                    "The request body is not valid JSON: " + e.getOriginalMessage()));
        } catch (IOException e) {
            throw new ProblemException(Problem.of(400, "malformed-json", "Malformed JSON", "The request body cannot be read"));
        }
        if (root == null || !root.isObject()) {
            throw ProblemException.badField(null, "The request body must be a JSON object");
        }
        return root;
    }

    private void respond(RoutingContext ctx, Capability capability, Dispatched dispatched, long started) {
        String contentType = dispatched.reply().headers().get(HttpHeaderNames.CONTENT_TYPE);
        responses.answered(ctx, capability, dispatched, started)
                .putHeader(HttpHeaderNames.CONTENT_TYPE, contentType != null ? contentType : "application/json")
                .end(dispatched.reply().body());
    }
}
