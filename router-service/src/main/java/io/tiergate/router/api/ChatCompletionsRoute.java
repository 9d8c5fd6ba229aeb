package io.tiergate.router.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.tiergate.router.config.RouterConfig;
import io.tiergate.router.dispatch.Dispatched;
import io.tiergate.router.dispatch.Dispatcher;
import io.tiergate.router.dispatch.UpstreamReply;
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

/**
 * {@code POST /v1/chat/completions}, OpenAI-compatible. Served straight on Vert.x rather than through
 * JAX-RS because the body is passed through as bytes and streams are piped as they arrive.
 */
@ApplicationScoped
public class ChatCompletionsRoute {

    static final String PATH = "/v1/chat/completions";

    private final ObjectMapper mapper;
    private final RouterConfig config;
    private final ProviderRegistry registry;
    private final ComplexityScorer scorer;
    private final RoutePlanner planner;
    private final Dispatcher dispatcher;
    private final ChatProtocols protocols;
    private final RoutedResponses responses;

    public ChatCompletionsRoute(ObjectMapper mapper, RouterConfig config, ProviderRegistry registry, ComplexityScorer scorer,
            RoutePlanner planner, Dispatcher dispatcher, ChatProtocols protocols, RoutedResponses responses) {
        this.mapper = mapper;
        this.config = config;
        this.registry = registry;
        this.scorer = scorer;
        this.planner = planner;
        this.dispatcher = dispatcher;
        this.protocols = protocols;
        this.responses = responses;
    }

    void install(@Observes Router router) {
        router.post(PATH)
                .handler(BodyHandler.create(false).setBodyLimit(config.maxBodyBytes()))
                .handler(this::handle)
                .failureHandler(responses::onFailure);
    }

    private void handle(RoutingContext ctx) {
        long started = System.nanoTime();
        RoutingHeaders routing = RoutingHeaders.parse(ctx.request()::getHeader, registry, responses.requestId(ctx));
        ChatRequest chat = ChatRequest.parse(mapper, ctx.body().buffer().getBytes());
        ComplexityScore score = scorer.score(chat);
        RoutePlan plan = planner.plan(routing.routeRequest(Capability.CHAT, score));
        responses.planned(ctx, score, plan);
        dispatcher.dispatch(plan.candidates(), new ChatExchange(chat, protocols))
                .subscribe().with(
                        dispatched -> respond(ctx, dispatched, started),
                        failure -> responses.failed(ctx, Capability.CHAT, plan, failure, started));
    }

    private void respond(RoutingContext ctx, Dispatched dispatched, long started) {
        UpstreamReply reply = dispatched.reply();
        ChatProtocol protocol = protocols.forProtocol(dispatched.candidate().provider().protocol());
        HttpServerResponse response = responses.answered(ctx, Capability.CHAT, dispatched, started);
        if (reply.isStream()) {
            pipe(response, dispatched, protocol.streamReader());
            return;
        }
        String contentType = reply.headers().get(HttpHeaderNames.CONTENT_TYPE);
        response.putHeader(HttpHeaderNames.CONTENT_TYPE, contentType != null ? contentType : "application/json");
        response.end(reply.status() < 300 ? protocol.toOpenAi(reply.body()) : reply.body());
    }

    /**
     * Relays a stream to the caller, pausing the provider while the caller's side is full. However it ends (the
     * provider finishes or fails, or the caller goes away, which also aborts the provider's stream), its quota is
     * settled with the usage it reported.
     */
    private static void pipe(HttpServerResponse response, Dispatched dispatched, ChatProtocol.StreamReader reader) {
        HttpClientResponse upstream = dispatched.reply().stream();
        Runnable settle = () -> dispatched.streamSettlement().streamEnded(reader.reportedTokens());
        response.setChunked(true)
                .putHeader(HttpHeaderNames.CONTENT_TYPE, "text/event-stream")
                .putHeader(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        response.closeHandler(ignored -> {
            settle.run();
            upstream.request().reset();
        });
        response.drainHandler(ignored -> upstream.resume());
        upstream.handler(chunk -> {
            Buffer out = reader.next(chunk);
            if (out.length() > 0) {
                response.write(out);
            }
            if (response.writeQueueFull()) {
                upstream.pause();
            }
        });
        upstream.exceptionHandler(error -> {
            settle.run();
            response.reset();
        });
        upstream.endHandler(ignored -> {
            settle.run();
            response.end();
        });
        upstream.resume();
    }
}
