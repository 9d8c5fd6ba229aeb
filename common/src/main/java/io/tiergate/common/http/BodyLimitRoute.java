package io.tiergate.common.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.tiergate.common.problem.Problem;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses a request whose declared Content-Length is over {@code quarkus.http.limits.max-body-size} with a 413
 * problem. Quarkus refuses it in a route of its own with an empty body; this one runs just before that route, on
 * the same limit. A chunked body over the limit is cut off by JAX-RS while it reads, which still answers a bare 413.
 */
@Singleton
class BodyLimitRoute {

    private final ObjectMapper mapper;
    private final Optional<MemorySize> maxBodySize;

    BodyLimitRoute(ObjectMapper mapper, @ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> maxBodySize) {
        this.mapper = mapper;
        this.maxBodySize = maxBodySize;
    }

    void install(@Observes Router router) {
        maxBodySize.ifPresent(limit -> router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1)
                .handler(ctx -> refuseDeclaredOversize(ctx, limit.asLongValue())));
    }

    private void refuseDeclaredOversize(RoutingContext ctx, long limit) {
        String length = ctx.request().getHeader(HttpHeaderNames.CONTENT_LENGTH);
        if (length == null || declared(length) <= limit) {
            ctx.next();
            return;
        }
        EarlyProblems.send(ctx, mapper, Problem.ofField(413, "body-too-large", "Request body too large", "Content-Length",
                "The request body has " + length + " bytes; at most " + limit + " are accepted (quarkus.http.limits.max-body-size)."));
    }

    /** A length that is not a number is left to Vert.x, which refuses the request itself. */
    private static long declared(String length) {
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
