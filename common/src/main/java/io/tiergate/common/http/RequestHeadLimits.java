package io.tiergate.common.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.tiergate.common.problem.Problem;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Answers a request line over {@code quarkus.http.limits.max-initial-line-length} with a 414 problem and request
 * headers over {@code quarkus.http.limits.max-header-size} with a 431 problem, instead of Vert.x's empty answers.
 * <p>
 * Vert.x refuses such a request in its HTTP decoder, before any route, through the server's invalid-request handler;
 * Quarkus 3.27 creates and starts the server itself and lets an application change only its options, not that
 * handler. So the decoder gets a ceiling {@value #DECODER_CEILING_FACTOR} times higher than each limit, and this
 * route applies the limits as configured. A request head over the ceiling still gets Vert.x's bare 414 or 431, and
 * a header line the decoder cannot parse at all its bare 400.
 */
@Singleton
class RequestHeadLimits implements HttpServerOptionsCustomizer {

    static final int DECODER_CEILING_FACTOR = 16;
    /** Netty counts each header line without its line break: name, colon, space, value. */
    private static final int HEADER_LINE_OVERHEAD = 2;
    /** The space after the method and the one before {@code HTTP/1.1}, whose 8 characters follow. */
    private static final int REQUEST_LINE_OVERHEAD = 2 + 8;

    private final ObjectMapper mapper;
    private final int maxLine;
    private final int maxHeaders;

    RequestHeadLimits(ObjectMapper mapper,
            @ConfigProperty(name = "quarkus.http.limits.max-initial-line-length") int maxLine,
            @ConfigProperty(name = "quarkus.http.limits.max-header-size") MemorySize maxHeaders) {
        this.mapper = mapper;
        this.maxLine = maxLine;
        this.maxHeaders = (int) Math.min(Integer.MAX_VALUE, maxHeaders.asLongValue());
    }

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        raiseDecoderLimits(options);
    }

    @Override
    public void customizeHttpsServer(HttpServerOptions options) {
        raiseDecoderLimits(options);
    }

    @Override
    public void customizeDomainSocketServer(HttpServerOptions options) {
        raiseDecoderLimits(options);
    }

    private void raiseDecoderLimits(HttpServerOptions options) {
        options.setMaxInitialLineLength(ceiling(maxLine));
        options.setMaxHeaderSize(ceiling(maxHeaders));
    }

    private static int ceiling(int limit) {
        return (int) Math.min(Integer.MAX_VALUE, (long) limit * DECODER_CEILING_FACTOR);
    }

    /** Runs after {@link RequestIdRoute} (same order, observed later), so the problem carries the request's id. */
    void install(@Observes @Priority(Interceptor.Priority.APPLICATION + 600) Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::refuseOversizedHead);
    }

    private void refuseOversizedHead(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        int line = request.method().name().length() + request.uri().length() + REQUEST_LINE_OVERHEAD;
        if (line > maxLine) {
            EarlyProblems.send(ctx, mapper, Problem.of(414, "uri-too-long", "URI too long",
                    "The request line has " + line + " bytes; at most " + maxLine
                            + " are accepted (quarkus.http.limits.max-initial-line-length)."));
            return;
        }
        int headers = 0;
        String largest = null;
        int largestSize = -1;
        for (Map.Entry<String, String> header : request.headers()) {
            int size = header.getKey().length() + HEADER_LINE_OVERHEAD + header.getValue().length();
            headers += size;
            if (size > largestSize) {
                largest = header.getKey();
                largestSize = size;
            }
        }
        if (headers > maxHeaders) {
            EarlyProblems.send(ctx, mapper, Problem.of(431, "headers-too-large", "Request headers too large",
                    "The request headers have " + headers + " bytes, the largest being " + Problem.quoted(largest) + " with " + largestSize
                            + "; at most " + maxHeaders + " are accepted in all (quarkus.http.limits.max-header-size).")
                    .withField(largest));
            return;
        }
        ctx.next();
    }
}
