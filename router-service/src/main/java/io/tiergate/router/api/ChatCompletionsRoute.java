package io.tiergate.router.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.tiergate.common.problem.Problem;
import io.tiergate.common.problem.ProblemException;
import io.tiergate.router.config.RouterConfig;
import io.tiergate.router.dispatch.Dispatched;
import io.tiergate.router.dispatch.Dispatcher;
import io.tiergate.router.dispatch.NoBackendAvailableException;
import io.tiergate.router.dispatch.RetryAfter;
import io.tiergate.router.dispatch.UpstreamReply;
import io.tiergate.router.metrics.RouterMetrics;
import io.tiergate.router.providers.Capability;
import io.tiergate.router.providers.ChatProtocol;
import io.tiergate.router.providers.ChatProtocols;
import io.tiergate.router.providers.ProviderRegistry;
import io.tiergate.router.routing.RoutePlan;
import io.tiergate.router.routing.RoutePlanner;
import io.tiergate.router.scoring.ComplexityScore;
import io.tiergate.router.scoring.ComplexityScorer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * {@code POST /v1/chat/completions}, OpenAI-compatible. Served straight on Vert.x rather than through
 * JAX-RS because the body is passed through as bytes and streams are piped as they arrive.
 */
@ApplicationScoped
public class ChatCompletionsRoute {

    private static final Logger LOG = Logger.getLogger(ChatCompletionsRoute.class);
    static final String PATH = "/v1/chat/completions";

    private final ObjectMapper mapper;
    private final RouterConfig config;
    private final ProviderRegistry registry;
    private final ComplexityScorer scorer;
    private final RoutePlanner planner;
    private final Dispatcher dispatcher;
    private final ChatProtocols protocols;
    private final RouterMetrics metrics;

    public ChatCompletionsRoute(ObjectMapper mapper, RouterConfig config, ProviderRegistry registry, ComplexityScorer scorer,
            RoutePlanner planner, Dispatcher dispatcher, ChatProtocols protocols, RouterMetrics metrics) {
        this.mapper = mapper;
        this.config = config;
        this.registry = registry;
        this.scorer = scorer;
        this.planner = planner;
        this.dispatcher = dispatcher;
        this.protocols = protocols;
        this.metrics = metrics;
    }

    void install(@Observes Router router) {
        router.post(PATH)
                .handler(BodyHandler.create(false).setBodyLimit(config.maxBodyBytes()))
                .handler(this::handle)
                .failureHandler(this::onFailure);
    }

    private void handle(RoutingContext ctx) {
        long started = System.nanoTime();
        RoutingHeaders routing = RoutingHeaders.parse(ctx.request()::getHeader, registry, requestId(ctx));
        ChatRequest chat = ChatRequest.parse(mapper, ctx.body().buffer().getBytes());
        ComplexityScore score = scorer.score(chat);
        RoutePlan plan = planner.plan(routing.routeRequest(Capability.CHAT, score));
        ctx.response()
                .putHeader(RoutingHeaders.SCORE, Double.toString(score.score()))
                .putHeader(RoutingHeaders.TIER, plan.tier().wireName());
        dispatcher.dispatch(plan.candidates(), new ChatExchange(chat, protocols))
                .subscribe().with(
                        dispatched -> respond(ctx, dispatched, started),
                        failure -> respondFailure(ctx, plan, failure, started));
    }

    private ChatProtocol protocolOf(io.tiergate.router.providers.Protocol protocol) {
        return protocols.forProtocol(protocol);
    }

    private void respond(RoutingContext ctx, Dispatched dispatched, long started) {
        HttpServerResponse response = ctx.response();
        UpstreamReply reply = dispatched.reply();
        var backend = dispatched.backend();
        ChatProtocol protocol = protocolOf(backend.provider().protocol());
        response.setStatusCode(reply.status())
                .putHeader(RoutingHeaders.TIER, dispatched.candidate().tier().wireName())
                .putHeader(RoutingHeaders.PROVIDER, backend.provider().name())
                .putHeader(RoutingHeaders.ACCOUNT, backend.account())
                .putHeader(RoutingHeaders.ATTEMPTS, Integer.toString(dispatched.attempts().size()));
        String outcome = reply.status() < 400 ? "success" : "upstream_client_error";
        metrics.request("chat", dispatched.candidate().tier().wireName(), backend.provider().name(), backend.account(),
                outcome, Duration.ofNanos(System.nanoTime() - started));
        if (reply.isStream()) {
            pipe(response, reply.stream(), protocol);
            return;
        }
        String contentType = reply.headers().get(HttpHeaderNames.CONTENT_TYPE);
        response.putHeader(HttpHeaderNames.CONTENT_TYPE, contentType != null ? contentType : "application/json");
        response.end(reply.status() < 300 ? protocol.toOpenAi(reply.body()) : reply.body());
    }

    private static void pipe(HttpServerResponse response, HttpClientResponse upstream, ChatProtocol protocol) {
        response.setChunked(true)
                .putHeader(HttpHeaderNames.CONTENT_TYPE, "text/event-stream")
                .putHeader(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        var translator = protocol.streamTranslator();
        if (translator.isEmpty()) {
            upstream.pipeTo(response);
            return;
        }
        upstream.handler(chunk -> {
            Buffer translated = translator.get().translate(chunk);
            if (translated.length() > 0) {
                response.write(translated);
            }
        });
        upstream.exceptionHandler(error -> response.reset());
        upstream.endHandler(ignored -> response.end());
        upstream.resume();
    }

    private void respondFailure(RoutingContext ctx, RoutePlan plan, Throwable failure, long started) {
        if (!(failure instanceof NoBackendAvailableException exhausted)) {
            ctx.fail(failure);
            return;
        }
        Problem problem = exhausted.toProblem();
        LOG.warnf("Request %s: %s (%d attempts)", MDC.get("request_id"), problem.detail(), exhausted.attempts().size());
        metrics.request("chat", plan.tier().wireName(), "none", "none", exhausted.causedByQuota() ? "quota" : "unavailable",
                Duration.ofNanos(System.nanoTime() - started));
        ctx.response()
                .putHeader(RoutingHeaders.ATTEMPTS, Integer.toString(exhausted.attempts().size()))
                .putHeader(HttpHeaderNames.RETRY_AFTER, RetryAfter.headerValue(retryAfter(exhausted, plan)));
        writeProblem(ctx, problem);
    }

    /**
     * What backends said, else when the first open breaker lets a probe through, else a tenth of the
     * breaker's open time: soon enough to notice recovery, late enough not to hammer.
     */
    private Duration retryAfter(NoBackendAvailableException exhausted, RoutePlan plan) {
        return exhausted.retryAfter()
                .or(() -> plan.earliestReopen().map(until -> Duration.between(Instant.now(), until)))
                .filter(wait -> !wait.isNegative())
                .orElse(config.dispatch().breaker().openFor().dividedBy(10));
    }

    private void onFailure(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        Problem problem;
        if (failure instanceof ProblemException bad) {
            problem = bad.problem();
        } else if (ctx.statusCode() == 413) {
            problem = Problem.of(413, "body-too-large", "Request body too large",
                    "The request body exceeds the limit of " + config.maxBodyBytes() + " bytes (tiergate.max-body-bytes)");
        } else if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
            problem = Problem.of(ctx.statusCode(), "bad-request", "Bad request", "The request cannot be processed");
        } else {
            LOG.error("Unexpected failure routing a chat completion", failure);
            problem = Problem.of(500, "internal-error", "Internal error", "The request failed unexpectedly; see the router log.");
        }
        writeProblem(ctx, problem);
    }

    private void writeProblem(RoutingContext ctx, Problem problem) {
        HttpServerResponse response = ctx.response();
        if (response.headWritten()) {
            response.reset();
            return;
        }
        try {
            response.setStatusCode(problem.status())
                    .putHeader(HttpHeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .end(Buffer.buffer(mapper.writeValueAsBytes(problem)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            response.setStatusCode(500).end();
        }
    }

    static String requestId(RoutingContext ctx) {
        String id = ctx.request().getHeader(RoutingHeaders.REQUEST_ID);
        if (id == null || id.isBlank() || id.length() > 128) {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            id = Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong());
        }
        ctx.response().putHeader(RoutingHeaders.REQUEST_ID, id);
        MDC.put("request_id", id);
        return id;
    }
}
