package io.tiergate.router.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.tiergate.common.http.RequestIds;
import io.tiergate.common.problem.Problem;
import io.tiergate.common.problem.ProblemException;
import io.tiergate.router.config.RouterConfig;
import io.tiergate.router.dispatch.Dispatched;
import io.tiergate.router.dispatch.NoBackendAvailableException;
import io.tiergate.router.dispatch.RetryAfter;
import io.tiergate.router.metrics.RouterMetrics;
import io.tiergate.router.providers.Backend;
import io.tiergate.router.pipeline.Answer;
import io.tiergate.router.pipeline.RoutingHeaders;
import io.tiergate.router.routing.RoutePlan;
import io.tiergate.router.scoring.ComplexityScore;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.jboss.logging.Logger;

/**
 * What every routed endpoint answers alike: routing headers, metrics and problem bodies. The request id is every
 * service's ({@link RequestIds}), set before any route runs.
 */
@ApplicationScoped
public class RoutedResponses {

    private static final Logger LOG = Logger.getLogger(RoutedResponses.class);

    private final ObjectMapper mapper;
    private final RouterConfig config;
    private final RouterMetrics metrics;

    public RoutedResponses(ObjectMapper mapper, RouterConfig config, RouterMetrics metrics) {
        this.mapper = mapper;
        this.config = config;
        this.metrics = metrics;
    }

    void planned(RoutingContext ctx, ComplexityScore score, RoutePlan plan) {
        ctx.response()
                .putHeader(RoutingHeaders.SCORE, Double.toString(score.score()))
                .putHeader(RoutingHeaders.TIER, plan.tier().wireName());
    }

    /** Sets the status and routing headers of an answer and counts it; the caller writes the body. */
    HttpServerResponse answered(RoutingContext ctx, String capability, Answer answer, long started) {
        Dispatched last = answer.last();
        Backend backend = last.backend();
        int status = answer instanceof Answer.Composed ? 200 : last.reply().status();
        metrics.request(capability, last.candidate().tier().wireName(), backend.provider().name(),
                backend.account(), status < 400 ? "success" : "upstream_client_error", Duration.ofNanos(System.nanoTime() - started));
        HttpServerResponse response = ctx.response().setStatusCode(status)
                .putHeader(RoutingHeaders.TIER, last.candidate().tier().wireName())
                .putHeader(RoutingHeaders.PROVIDER, backend.provider().name())
                .putHeader(RoutingHeaders.ACCOUNT, backend.account())
                .putHeader(RoutingHeaders.ATTEMPTS, Integer.toString(answer.attempts()));
        last.outputCap().ifPresent(cap -> response.putHeader(RoutingHeaders.MAX_TOKENS, Long.toString(cap)));
        return response;
    }

    /** Nothing could serve: 503, or 429 when quota was the cause, with Retry-After and every attempt. */
    void failed(RoutingContext ctx, String capability, RoutePlan plan, Throwable failure, long started) {
        if (!(failure instanceof NoBackendAvailableException exhausted)) {
            ctx.fail(failure);
            return;
        }
        Problem problem = exhausted.toProblem();
        LOG.warnf("Request %s: %s (%d attempts)", RequestIds.of(ctx), problem.detail(), exhausted.attempts().size());
        metrics.request(capability, plan.tier().wireName(), "none", "none",
                exhausted.causedByQuota() ? "quota" : "unavailable", Duration.ofNanos(System.nanoTime() - started));
        ctx.response()
                .putHeader(RoutingHeaders.ATTEMPTS, Integer.toString(exhausted.attempts().size()))
                .putHeader(HttpHeaderNames.RETRY_AFTER, RetryAfter.headerValue(RetryAfter.whenNothingServed(exhausted, plan, config.dispatch().breaker().openFor())));
        writeProblem(ctx, problem);
    }

    /** The failure handler of every routed endpoint: bad input, bodies over the endpoint's limit and the unexpected. */
    void onFailure(RoutingContext ctx, long bodyLimit) {
        Throwable failure = ctx.failure();
        Problem problem;
        if (failure instanceof ProblemException bad) {
            problem = bad.problem();
        } else if (ctx.statusCode() == 413) {
            // The header that declared the size, when one did; a chunked body has no field to name.
            String declared = ctx.request().getHeader(HttpHeaderNames.CONTENT_LENGTH) != null ? "Content-Length" : null;
            problem = Problem.ofField(413, "body-too-large", "Request body too large", declared,
                    "The request body exceeds this endpoint's limit of " + bodyLimit + " bytes (tiergate.router.max-body-bytes, "
                            + "or tiergate.router.body-limits.<capability>)");
        } else if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
            problem = Problem.of(ctx.statusCode(), "bad-request", "Bad request", "The request cannot be processed");
        } else {
            LOG.error("Unexpected failure routing a request", failure);
            problem = Problem.of(500, "internal-error", "Internal error", "The request failed unexpectedly; see the router log.");
        }
        writeProblem(ctx, problem);
    }

    /** Ends the response with {@code problem}, in the one error shape of every endpoint. */
    void writeProblem(RoutingContext ctx, Problem problem) {
        HttpServerResponse response = ctx.response();
        if (response.headWritten()) {
            response.reset();
            return;
        }
        try {
            response.setStatusCode(problem.status())
                    .putHeader(HttpHeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .end(Buffer.buffer(mapper.writeValueAsBytes(problem)));
        } catch (JsonProcessingException e) {
            response.setStatusCode(500).end();
        }
    }
}
