package io.tiergate.router.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.tiergate.common.problem.Problem;
import io.tiergate.common.problem.ProblemException;
import io.tiergate.router.config.RouterConfig;
import io.tiergate.router.dispatch.Dispatched;
import io.tiergate.router.dispatch.Dispatcher;
import io.tiergate.router.providers.Capability;
import io.tiergate.router.providers.ProviderRegistry;
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
import java.util.Map;

/**
 * {@code POST /v1/classifications}, {@code /v1/extractions} and {@code /v1/embeddings}: scored by their
 * size and shape, then routed like chat (same headers, fallback, breakers and quota) to the backends that
 * speak these formats: Tiergate's classification pods, and for embeddings OpenAI-compatible providers.
 */
@ApplicationScoped
public class TaskRoutes {

    /** The path under {@code /v1} of each endpoint and the capability it needs. */
    private static final Map<String, Capability> ENDPOINTS = Map.of(
            "/classifications", Capability.CLASSIFICATION,
            "/extractions", Capability.CLASSIFICATION,
            "/embeddings", Capability.EMBEDDINGS);

    private final ObjectMapper mapper;
    private final RouterConfig config;
    private final ProviderRegistry registry;
    private final TaskComplexityScorer scorer;
    private final RoutePlanner planner;
    private final Dispatcher dispatcher;
    private final RoutedResponses responses;

    public TaskRoutes(ObjectMapper mapper, RouterConfig config, ProviderRegistry registry, TaskComplexityScorer scorer,
            RoutePlanner planner, Dispatcher dispatcher, RoutedResponses responses) {
        this.mapper = mapper;
        this.config = config;
        this.registry = registry;
        this.scorer = scorer;
        this.planner = planner;
        this.dispatcher = dispatcher;
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
        ComplexityScore score = scorer.score(parse(body));
        RoutePlan plan = planner.plan(routing.routeRequest(capability, score));
        responses.planned(ctx, score, plan);
        dispatcher.dispatch(plan.candidates(), new PassThroughExchange(path, body, score.estimatedPromptTokens(), mapper))
                .subscribe().with(
                        dispatched -> respond(ctx, capability, dispatched, started),
                        failure -> responses.failed(ctx, capability, plan, failure, started));
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
