package io.tiergate.router.api;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http2.Http2Error;
import io.tiergate.router.dispatch.Dispatched;
import io.tiergate.router.translation.StreamReader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerResponse;

/**
 * Relays a provider's event stream to the caller as it arrives. A stream the provider breaks off reaches the caller as
 * far as the provider sent it and then as an error, never as a clean end: over HTTP/2 the caller's stream is reset
 * with an error code, over HTTP/1.1 its connection is closed without the last chunk. (A stream that is translated
 * loses the event the break cut in half: only whole events can be rewritten.)
 */
final class StreamRelay {

    /** Not NO_ERROR, which clients such as curl read as a clean end of the stream. */
    private static final long BROKEN_OFF = Http2Error.INTERNAL_ERROR.code();

    private final HttpServerResponse response;
    private final HttpClientResponse upstream;
    private final Dispatched dispatched;
    private final StreamReader reader;
    /** The last write to the caller; writes complete in order, so once it has, everything relayed has gone out. */
    private Future<Void> lastWrite = Future.succeededFuture();
    /** The provider's stream has failed; what it sent before is still being relayed. */
    private boolean broken;

    private StreamRelay(HttpServerResponse response, Dispatched dispatched, StreamReader reader) {
        this.response = response;
        this.upstream = dispatched.reply().stream();
        this.dispatched = dispatched;
        this.reader = reader;
    }

    /**
     * Pipes the stream, pausing the provider while the caller's side is full. However it ends (the provider finishes
     * or fails, or the caller goes away, which also aborts the provider's stream), its quota is settled once, with the
     * usage it reported.
     */
    static void pipe(HttpServerResponse response, Dispatched dispatched, StreamReader reader) {
        new StreamRelay(response, dispatched, reader).start();
    }

    private void start() {
        response.setChunked(true)
                .putHeader(HttpHeaderNames.CONTENT_TYPE, "text/event-stream")
                .putHeader(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        response.closeHandler(ignored -> {
            settle();
            upstream.request().reset();
        });
        response.drainHandler(ignored -> upstream.resume());
        upstream.handler(this::relay);
        // The end future rather than end and exception handlers: asked for as the reply came (UpstreamClient), it holds a
        // failure that came before the relay started.
        upstream.end().onComplete(ended -> {
            if (ended.succeeded()) {
                settle();
                response.end();
            } else {
                breakOff();
            }
        });
        upstream.resume();
    }

    private void relay(Buffer chunk) {
        Buffer out = reader.next(chunk);
        if (out.length() > 0) {
            lastWrite = response.write(out);
        }
        if (!broken && response.writeQueueFull()) {
            upstream.pause();
        }
    }

    /**
     * Vert.x reports the failure at once, while chunks received before it may still wait for the relay (the provider
     * was paused, or the relay had not started): resuming queues their delivery on this event loop, and the abort is
     * queued after it. The caller's stream is reset only once every relayed write has gone out, as a reset discards
     * HTTP/2 writes still queued.
     */
    private void breakOff() {
        broken = true;
        upstream.resume();
        Vertx.currentContext().runOnContext(ignored -> {
            settle();
            lastWrite.onComplete(written -> response.reset(BROKEN_OFF));
        });
    }

    private void settle() {
        dispatched.streamSettlement().streamEnded(reader.reportedTokens());
    }
}
