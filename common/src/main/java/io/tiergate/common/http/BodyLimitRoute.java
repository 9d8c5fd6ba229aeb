package io.tiergate.common.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.tiergate.common.problem.Problem;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Holds request bodies to {@code quarkus.http.limits.max-body-size}, answering a 413 problem where Quarkus would
 * answer an empty one or read on.
 * <ul>
 * <li>A declared Content-Length over the limit is refused just before Quarkus's own route for it, on the same limit.
 * <li>A chunked JSON body, which has no length to check up front, is read into memory up to the limit before the
 * resources see it. Quarkus REST reads a body of a few kilobytes without looking at the limit at all, and cuts a
 * longer one off with a bare 413. This runs after the routes the services install themselves (the router's routed
 * endpoints read their bodies with limits of their own) and leaves other media alone. The speech pods, which take no
 * JSON and whose limit is sized for audio streamed to disk, turn it off ({@value #CHUNKED_JSON_SETTING}). HTTP/2
 * streams are left to Quarkus REST too, which pauses a request it is handed even when its body is already read, and
 * an HTTP/2 request refuses that.
 * </ul>
 */
@Singleton
class BodyLimitRoute {

    static final String CHUNKED_JSON_SETTING = "tiergate.http.limit-chunked-json";

    /** After routes installed without an order, which Vert.x numbers from 0, and before Quarkus REST. */
    private static final int CHUNKED_JSON_ORDER = RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT;

    private final ObjectMapper mapper;
    private final Optional<MemorySize> maxBodySize;
    private final boolean limitChunkedJson;

    BodyLimitRoute(ObjectMapper mapper, @ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> maxBodySize,
            @ConfigProperty(name = CHUNKED_JSON_SETTING, defaultValue = "true") boolean limitChunkedJson) {
        this.mapper = mapper;
        this.maxBodySize = maxBodySize;
        this.limitChunkedJson = limitChunkedJson;
    }

    void install(@Observes Router router) {
        maxBodySize.map(MemorySize::asLongValue).ifPresent(limit -> {
            router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(ctx -> refuseDeclaredOversize(ctx, limit));
            if (limitChunkedJson) {
                BodyHandler reader = BodyHandler.create(false).setBodyLimit(limit);
                router.route().order(CHUNKED_JSON_ORDER).handler(ctx -> readChunkedJson(ctx, reader))
                        .failureHandler(ctx -> refuseChunkedOversize(ctx, limit));
            }
        });
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

    private static void readChunkedJson(RoutingContext ctx, BodyHandler reader) {
        HttpServerRequest request = ctx.request();
        if (request.version() == HttpVersion.HTTP_2 || request.headers().contains(HttpHeaderNames.CONTENT_LENGTH)
                || !isJson(request.getHeader(HttpHeaderNames.CONTENT_TYPE))) {
            ctx.next();
            return;
        }
        reader.handle(ctx);
    }

    private void refuseChunkedOversize(RoutingContext ctx, long limit) {
        if (ctx.statusCode() != 413 || ctx.response().headWritten()) {
            ctx.next();
            return;
        }
        EarlyProblems.send(ctx, mapper, Problem.of(413, "body-too-large", "Request body too large",
                "The chunked request body is over the " + limit + " bytes accepted (quarkus.http.limits.max-body-size)."));
    }

    /** {@code application/json} or a {@code +json} type such as {@code application/merge-patch+json}. */
    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String media = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return media.equals("application/json") || media.endsWith("+json");
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
