package io.tiergate.router.api;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.tiergate.router.dispatch.Dispatched;
import io.tiergate.router.translation.StreamReader;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;

/** Relays a provider's event stream to the caller as it arrives. */
final class StreamRelay {

    private StreamRelay() {}

    /**
     * Pipes the stream, pausing the provider while the caller's side is full. However it ends (the provider finishes
     * or fails, or the caller goes away, which also aborts the provider's stream), its quota is settled with the usage
     * it reported.
     */
    static void pipe(HttpServerResponse response, Dispatched dispatched, StreamReader reader) {
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
