package io.tiergate.router.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.quarkus.arc.All;
import io.smallrye.mutiny.subscription.Cancellable;
import io.tiergate.common.problem.Problem;
import io.tiergate.common.problem.ProblemException;
import io.tiergate.router.capability.chat.ChatCapability;
import io.tiergate.router.config.RouterConfig;
import io.tiergate.router.dispatch.Dispatched;
import io.tiergate.router.dispatch.RequestBody;
import io.tiergate.router.dispatch.SecretRedactor;
import io.tiergate.router.dispatch.UpstreamReply;
import io.tiergate.router.pipeline.Answer;
import io.tiergate.router.pipeline.RoutedCapability;
import io.tiergate.router.pipeline.RoutedPipeline;
import io.tiergate.router.pipeline.RoutedRequest;
import io.tiergate.router.pipeline.RoutingHeaders;
import io.tiergate.router.providers.ProviderRegistry;
import io.tiergate.router.translation.CallerAnswer;
import io.tiergate.router.translation.UpstreamErrors;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Every routed endpoint, installed once per {@link RoutedCapability}: the endpoint itself ({@code /v1/chat/completions},
 * {@code /v1/classifications}, …), its explanation under {@code /v1/route/explain} and its cost comparison under
 * {@code /v1/providers/compare-cost}, each with the same path suffix ({@code /v1/route/explain/classifications}); the
 * bare explain and compare-cost paths are chat's. Served straight on Vert.x rather than through JAX-RS because bodies
 * pass through as bytes (or from a spool file) and streams are piped as they arrive.
 */
@ApplicationScoped
public class RoutedEndpoints {

    static final String EXPLAIN = "/v1/route/explain";
    static final String COMPARE_COST = "/v1/providers/compare-cost";
    private static final String V1 = "/v1";
    /** Before Quarkus's body size route and {@code BodyLimitRoute}, which answers for it. */
    private static final int UPLOADS_ORDER = RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 2;

    private final List<RoutedCapability<?>> capabilities;
    private final RoutedPipeline pipeline;
    private final ProviderRegistry registry;
    private final RouterConfig config;
    private final RoutedResponses responses;
    private final BodySpooler spooler;
    private final ObjectMapper mapper;
    private final SecretRedactor redactor;

    public RoutedEndpoints(@All List<RoutedCapability<?>> capabilities, RoutedPipeline pipeline, ProviderRegistry registry,
            RouterConfig config, RoutedResponses responses, BodySpooler spooler, ObjectMapper mapper, SecretRedactor redactor) {
        this.capabilities = capabilities;
        this.pipeline = pipeline;
        this.registry = registry;
        this.config = config;
        this.responses = responses;
        this.spooler = spooler;
        this.mapper = mapper;
        this.redactor = redactor;
    }

    void install(@Observes Router router) {
        for (RoutedCapability<?> capability : capabilities) {
            String suffix = capability.path().substring(V1.length());
            post(router, capability.path(), capability, ctx -> serve(ctx, capability));
            post(router, EXPLAIN + suffix, capability, ctx -> explain(ctx, capability));
            post(router, COMPARE_COST + suffix, capability, ctx -> compareCost(ctx, capability));
            if (capability.name().equals(ChatCapability.NAME)) {
                post(router, EXPLAIN, capability, ctx -> explain(ctx, capability));
                post(router, COMPARE_COST, capability, ctx -> compareCost(ctx, capability));
            }
        }
    }

    /**
     * An upload route runs before Quarkus's check of {@code quarkus.http.limits.max-body-size}, which is sized for the
     * bodies read into memory: an upload has its own limit, checked as it is spooled.
     */
    private void post(Router router, String path, RoutedCapability<?> capability, Handler<RoutingContext> handler) {
        router.route(path).order(UPLOADS_ORDER).handler(this::onlyPost);
        if (capability.bodyIntake() instanceof RoutedCapability.BodyIntake.Form form) {
            long limit = config.bodyLimits().getOrDefault(capability.name(), config.spool().maxBodyBytes());
            router.post(path).order(UPLOADS_ORDER).handler(spooler.limitedTo(limit, form)).handler(handler)
                    .failureHandler(ctx -> responses.onFailure(ctx, limit));
        } else {
            long limit = config.bodyLimits().getOrDefault(capability.name(), (long) config.maxBodyBytes());
            // Forms are refused by a route of their own, before the body handler, which would parse a form's
            // Content-Type (and fail with a 500 on a malformed one) to read its fields.
            router.post(path).order(UPLOADS_ORDER).handler(RoutedEndpoints::refuseForms)
                    .failureHandler(ctx -> responses.onFailure(ctx, limit));
            router.post(path).handler(BodyHandler.create(false).setBodyLimit(limit))
                    .handler(handler).failureHandler(ctx -> responses.onFailure(ctx, limit));
        }
    }

    /** Another method on a routed endpoint is 405 saying which one it takes, as the pods answer, not a 404. */
    private void onlyPost(RoutingContext ctx) {
        if (ctx.request().method() == HttpMethod.POST) {
            ctx.next();
            return;
        }
        ctx.response().putHeader(HttpHeaderNames.ALLOW, "POST");
        responses.writeProblem(ctx, Problem.of(405, "method-not-allowed", "Method not allowed",
                ctx.request().path() + " takes POST, not " + ctx.request().method().name()));
    }

    /** A JSON endpoint sent a form (multipart or URL-encoded) gets 415 rather than having its fields guessed at. */
    private static void refuseForms(RoutingContext ctx) {
        String type = ctx.request().getHeader(HttpHeaderNames.CONTENT_TYPE);
        String media = type == null ? "" : type.toLowerCase(Locale.ROOT);
        if (media.startsWith("multipart/") || media.startsWith("application/x-www-form-urlencoded")) {
            ctx.fail(new ProblemException(new Problem("https://tiergate.io/problems/unsupported-media-type", "Unsupported media type",
                    415, "This endpoint takes a JSON body (Content-Type: application/json), not " + type, "Content-Type", null)));
            return;
        }
        ctx.next();
    }

    /**
     * Reads, sizes, scores and plans the request, then hands it to {@code then} on the request's own context, whichever
     * thread read it. What the parsed request holds is released once the response has ended.
     */
    private <R> void route(RoutingContext ctx, RoutedCapability<R> capability, Consumer<RoutedRequest<R>> then) {
        RoutingHeaders headers = RoutingHeaders.parse(ctx.request()::getHeader, registry);
        Context context = Vertx.currentContext();
        pipeline.route(capability, bodyOf(ctx), headers)
                .emitOn(task -> {
                    if (Vertx.currentContext() == context) {
                        task.run();
                    } else {
                        context.runOnContext(ignored -> task.run());
                    }
                })
                .subscribe().with(routed -> {
                    if (ctx.response().ended() || ctx.response().closed()) {
                        return;
                    }
                    try {
                        then.accept(routed);
                    } catch (RuntimeException e) {
                        ctx.fail(e);
                    }
                }, ctx::fail);
    }

    /** An upload's form as it was decoded; a body read into memory is JSON, whatever the caller labelled it. */
    private static RequestBody bodyOf(RoutingContext ctx) {
        RequestBody form = BodySpooler.form(ctx);
        if (form != null) {
            return form;
        }
        Buffer buffer = ctx.body().buffer();
        return RequestBody.of(buffer != null ? buffer : Buffer.buffer());
    }

    private <R> void serve(RoutingContext ctx, RoutedCapability<R> capability) {
        long started = System.nanoTime();
        route(ctx, capability, routed -> {
            responses.planned(ctx, routed.score(), routed.plan());
            // A caller who hangs up stops the call on its behalf; once answered, there is nothing left to cancel. The
            // handler is added first: an answer may be written before subscribing returns, and none may be added then.
            AtomicReference<Cancellable> serving = new AtomicReference<>();
            ctx.addEndHandler(ended -> Optional.ofNullable(serving.get()).ifPresent(Cancellable::cancel));
            serving.set(pipeline.serve(routed).subscribe().with(
                    answer -> respond(ctx, capability, answer, started),
                    failure -> responses.failed(ctx, capability.name(), routed.plan(), failure, started)));
            if (ctx.response().closed()) {
                serving.get().cancel();
            }
        });
    }

    private void respond(RoutingContext ctx, RoutedCapability<?> capability, Answer answer, long started) {
        if (answer instanceof Answer.Composed composed) {
            writeJson(responses.answered(ctx, capability.name(), answer, started).setStatusCode(200), composed.body(), ctx);
            return;
        }
        Answer.Relayed relayed = (Answer.Relayed) answer;
        Dispatched dispatched = relayed.last();
        UpstreamReply reply = dispatched.reply();
        if (reply.isStream()) {
            StreamRelay.pipe(responses.answered(ctx, capability.name(), answer, started), dispatched,
                    relayed.translator().streamReader());
            return;
        }
        if (reply.status() >= 400) {
            responses.answered(ctx, capability.name(), answer, started);
            responses.writeProblem(ctx, UpstreamErrors.problemOf(mapper, redactor::redact, dispatched.candidate().provider().name(),
                    reply.status(), reply.body()));
            return;
        }
        CallerAnswer out;
        if (reply.status() < 300) {
            try {
                out = relayed.callerAnswer().apply(reply);
            } catch (ProblemException unreadable) {
                responses.writeProblem(ctx, unreadable.problem());
                return;
            }
        } else {
            String contentType = reply.headers().get(HttpHeaderNames.CONTENT_TYPE);
            out = new CallerAnswer(contentType != null ? contentType : "application/json", reply.body());
        }
        responses.answered(ctx, capability.name(), answer, started)
                .putHeader(HttpHeaderNames.CONTENT_TYPE, out.contentType())
                .end(out.body());
    }

    private <R> void explain(RoutingContext ctx, RoutedCapability<R> capability) {
        route(ctx, capability, routed -> pipeline.explain(routed)
                .subscribe().with(explanation -> writeJson(ctx.response(), explanation, ctx), ctx::fail));
    }

    private <R> void compareCost(RoutingContext ctx, RoutedCapability<R> capability) {
        route(ctx, capability, routed -> writeJson(ctx.response(), pipeline.compareCost(routed), ctx));
    }

    private void writeJson(HttpServerResponse response, Object body, RoutingContext ctx) {
        Buffer json;
        try {
            json = Buffer.buffer(mapper.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            ctx.fail(e);
            return;
        }
        response.putHeader(HttpHeaderNames.CONTENT_TYPE, "application/json").end(json);
    }
}
