package io.tiergate.router.dispatch;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.RequestOptions;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.HttpHeaderNames;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.ConnectException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;

/**
 * Sends requests to backends over a pooled, non-blocking HTTP client, and turns every way a call
 * can go wrong into an {@link UpstreamFailure} the dispatcher and circuit breakers understand.
 */
@ApplicationScoped
public class UpstreamClient {

    /**
     * How much of an upload's file is read at a time. Vert.x reads files 8 KB at a time by default: a 19 MB recording's
     * hop through the router then added about 0.17 s to sending it to the backend directly, with 256 KB reads about
     * 0.07 s (README, Benchmarks); each upload in flight holds about one such buffer.
     */
    private static final int UPLOAD_READ_BYTES = 256 * 1024;

    private final HttpClient client;

    private final Vertx vertx;
    private final SecretRedactor redactor;

    public UpstreamClient(Vertx vertx, SecretRedactor redactor) {
        this.vertx = vertx;
        this.redactor = redactor;
        this.client = vertx.createHttpClient(
                new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true).setDecompressionSupported(true),
                new PoolOptions().setHttp1MaxSize(256));
    }

    @PreDestroy
    void close() {
        client.close();
    }

    public Uni<UpstreamReply> send(UpstreamRequest request) {
        long timeoutMillis = request.timeout().toMillis();
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(request.url())
                .setHeaders(request.headers())
                .setConnectTimeout(timeoutMillis)
                .setIdleTimeout(timeoutMillis);
        Future<HttpClientRequest> connection = client.request(options);
        Promise<UpstreamReply> outcome = Promise.promise();
        if (!request.streaming()) {
            limitToTheWholeAnswer(outcome, connection, timeoutMillis);
        }
        connection
                // A connection that came only once the attempt was given up is not used (the limit resets it): the
                // provider would get, and may bill, a call nobody waits for.
                .compose(outgoing -> outcome.future().isComplete() ? Future.<HttpClientResponse>failedFuture(
                        new TimeoutException("no connection within " + timeoutMillis + " ms")) : send(outgoing, request.body()))
                .compose(response -> read(response, request.streaming()))
                .onComplete(result -> {
                    if (result.succeeded()) {
                        outcome.tryComplete(result.result());
                    } else {
                        outcome.tryFail(result.cause());
                    }
                });
        return Uni.createFrom().<UpstreamReply>emitter(emitter -> outcome.future().onComplete(result -> {
            if (result.succeeded()) {
                UpstreamReply answer = result.result();
                UpstreamFailure failure = classify(answer);
                if (failure == null) {
                    emitter.complete(answer);
                } else {
                    emitter.fail(failure);
                }
            } else {
                emitter.fail(transportFailure(result.cause(), request.timeout(), connection.succeeded()));
            }
        })).onCancellation().invoke(() -> {
            // Nobody waits for the answer any more (the caller hung up): the call is stopped, so that the backend stops
            // working on it too (a speech pod cancels its engine when its caller goes) rather than finish it for no one.
            if (outcome.tryFail(new CancellationException("the caller is gone"))) {
                connection.onSuccess(HttpClientRequest::reset);
            }
        });
    }

    /**
     * Fails the outcome with a timeout when it is not in, whole, within the attempt's timeout, from asking for a
     * connection to the answer's last byte (the upload included), and stops the call. The idle timeout alone would let
     * a provider that trickles its answer hold the attempt for as long as it keeps sending; a stream, whose pieces are
     * relayed as they come, is bounded by its silences only.
     */
    private void limitToTheWholeAnswer(Promise<UpstreamReply> outcome, Future<HttpClientRequest> connection,
            long timeoutMillis) {
        long timer = vertx.setTimer(Math.max(1, timeoutMillis), id -> {
            if (outcome.tryFail(new TimeoutException("the whole answer took longer than " + timeoutMillis + " ms"))) {
                connection.onSuccess(outgoing -> outgoing.reset());
            }
        });
        outcome.future().onComplete(done -> vertx.cancelTimer(timer));
    }

    /**
     * A body in memory goes as it is; one on disk, whole or in pieces, is read from its files anew for every attempt.
     * The answer is awaited from the start, not once the body is out: a backend may answer before it has read all of
     * it (a proxy's 413), or while the last piece's file is still being closed, and an answer nobody listened for yet
     * is lost, leaving the call to its timeout.
     */
    private Future<HttpClientResponse> send(HttpClientRequest outgoing, RequestBody body) {
        if (body instanceof RequestBody.InMemory inMemory) {
            return outgoing.send(inMemory.bytes());
        }
        outgoing.putHeader(HttpHeaderNames.CONTENT_LENGTH, Long.toString(body.size()));
        if (body instanceof RequestBody.Spooled spooled) {
            return open(spooled.file()).compose(file -> outgoing.send(file).onComplete(sent -> file.close()));
        }
        if (!(body instanceof RequestBody.Pieces pieces)) {
            return Future.failedFuture(new IllegalArgumentException("a form is sent as the pieces its translator makes of it"));
        }
        Future<HttpClientResponse> answered = outgoing.response();
        // A failure before the answer fails it; one after it (the backend closing the connection on the rest of an
        // upload it answered early) is no news.
        outgoing.exceptionHandler(afterTheAnswer -> {});
        Future<Void> written = Future.succeededFuture();
        for (RequestBody.Piece piece : pieces.pieces()) {
            written = written.compose(ignored -> write(outgoing, piece));
        }
        written.compose(ignored -> outgoing.end()).onFailure(error -> outgoing.reset(0, error));
        return answered;
    }

    /**
     * One piece of a body, the request left open for the next. A pipe that failed (the backend closed the connection,
     * having answered early) leaves its drain handler on the request, which would resume the closed file when the
     * connection's unsent writes fail after it.
     */
    private Future<Void> write(HttpClientRequest outgoing, RequestBody.Piece piece) {
        if (piece instanceof RequestBody.Piece.InMemory inMemory) {
            return outgoing.write(inMemory.bytes());
        }
        return open(((RequestBody.Piece.OnDisk) piece).file())
                .compose(file -> file.pipe().endOnComplete(false).to(outgoing).eventually(() -> {
                    outgoing.drainHandler(null);
                    return file.close();
                }));
    }

    private Future<AsyncFile> open(Path file) {
        return vertx.fileSystem().open(file.toString(), new OpenOptions().setRead(true))
                .map(opened -> opened.setReadBufferSize(UPLOAD_READ_BYTES));
    }

    public Uni<Integer> probe(String url, Duration timeout) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url)
                .setConnectTimeout(timeout.toMillis()).setIdleTimeout(timeout.toMillis());
        Future<Integer> status = client.request(options)
                .compose(outgoing -> outgoing.send())
                .compose(response -> response.body().map(ignored -> response.statusCode()));
        return Uni.createFrom().completionStage(status.toCompletionStage());
    }

    private static Future<UpstreamReply> read(HttpClientResponse response, boolean streaming) {
        if (streaming && response.statusCode() == 200) {
            response.pause();
            // Vert.x keeps a stream's outcome only once its end is asked for: a provider breaking the stream off before
            // the relay has started would otherwise only be logged, and the caller left waiting for an end.
            response.end();
            return Future.succeededFuture(UpstreamReply.streaming(response));
        }
        return response.body().map(body -> UpstreamReply.complete(response.statusCode(), response.headers(), body));
    }

    /** Null when the answer should reach the caller; otherwise the failure it stands for. */
    private UpstreamFailure classify(UpstreamReply reply) {
        int status = reply.status();
        if (status < 400 || (status != 401 && status != 403 && status != 404 && status != 429 && status < 500)) {
            return null;
        }
        if (reply.isStream()) {
            reply.stream().resume();
        }
        Duration retryAfter = RetryAfter.parse(reply.headers().get(HttpHeaderNames.RETRY_AFTER)).orElse(null);
        String detail = "HTTP " + status + excerpt(reply.body());
        if (status == 429) {
            return new UpstreamFailure(UpstreamFailure.Kind.RATE_LIMITED, status, retryAfter, detail);
        }
        if (status >= 500) {
            return new UpstreamFailure(UpstreamFailure.Kind.SERVER_ERROR, status, retryAfter, detail);
        }
        return new UpstreamFailure(UpstreamFailure.Kind.REJECTED, status, null, detail);
    }

    /**
     * A call that never got a connection ({@code connected} false: refused, or none within the timeout, which Vert.x
     * reports as a {@link TimeoutException} while getting one from the pool) is a {@code CONNECT} failure: the provider
     * never saw the call, so its quota is released. Only a call that went out and got no answer is a {@code TIMEOUT},
     * which the provider may have counted.
     */
    static UpstreamFailure transportFailure(Throwable cause, Duration timeout, boolean connected) {
        boolean timedOut = cause instanceof TimeoutException || cause instanceof ConnectTimeoutException
                || cause.getClass().getSimpleName().contains("Timeout");
        if (timedOut && !connected) {
            return new UpstreamFailure(UpstreamFailure.Kind.CONNECT, null, null,
                    "cannot connect within " + timeout.toMillis() + " ms");
        }
        if (timedOut) {
            return new UpstreamFailure(UpstreamFailure.Kind.TIMEOUT, null, null, "no answer within " + timeout.toMillis() + " ms");
        }
        String message = cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
        if (cause instanceof ConnectException) {
            return new UpstreamFailure(UpstreamFailure.Kind.CONNECT, null, null, "cannot connect: " + message);
        }
        return new UpstreamFailure(UpstreamFailure.Kind.CONNECT, null, null, "connection failed: " + message);
    }

    /** What the provider said, without secrets it may have echoed, as a short excerpt. */
    private String excerpt(Buffer body) {
        if (body == null || body.length() == 0) {
            return "";
        }
        return ": " + redactor.redact(body.toString());
    }
}
