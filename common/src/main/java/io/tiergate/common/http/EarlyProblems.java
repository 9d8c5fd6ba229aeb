package io.tiergate.common.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.tiergate.common.problem.Problem;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.UncheckedIOException;

/** Answers a request with a problem from a route that runs before any resource, without reading the request's body. */
final class EarlyProblems {

    private EarlyProblems() {}

    static void send(RoutingContext ctx, ObjectMapper mapper, Problem problem) {
        ctx.response().setStatusCode(problem.status())
                .putHeader(HttpHeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE)
                // An unread body would otherwise be read as the next request on this connection.
                .putHeader(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                .endHandler(ended -> ctx.request().connection().close())
                .end(body(mapper, problem));
    }

    private static Buffer body(ObjectMapper mapper, Problem problem) {
        try {
            return Buffer.buffer(mapper.writeValueAsBytes(problem));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
