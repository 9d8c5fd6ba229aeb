package io.tiergate.common.http;

import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.tiergate.common.problem.Problem;
import io.tiergate.common.problem.ProblemException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import org.jboss.logging.Logger;

/**
 * Takes in an upload as it arrives, handing it piece by piece to an {@link UploadSink} (the form decoder, which writes
 * each file it decodes to the spool directory) and pausing the caller while the sink catches up, so a body of hundreds
 * of megabytes never sits in the heap and is decoded while it is still being sent. An upload over its limit is
 * refused with 413; one beyond the disk budget of all uploads in flight with 503. Run on the request's event loop,
 * before anything else reads the body.
 */
public final class UploadSpool {

    private static final Logger LOG = Logger.getLogger(UploadSpool.class);

    /**
     * Received bytes are handed over in pieces of this size: each piece is a task for Vert.x's blocking pool, and the
     * network's own pieces (tens of kilobytes) made it thousands of tasks a recording.
     */
    private static final int PIECE_BYTES = 1 << 20;
    /** Pieces handed over and not yet taken before the caller is paused: one taken while the next is received. */
    private static final int PIECES_IN_FLIGHT = 2;

    private final Path dir;
    private final long maxTotalBytes;
    private final String limitSetting;
    private final AtomicLong spooledBytes = new AtomicLong();

    /**
     * @param dir           where sinks write what they take; created when missing
     * @param maxTotalBytes the disk all spooled bodies not yet released may take together
     * @param limitSetting  the setting a refused caller is pointed to, named in the 413's detail
     */
    public UploadSpool(Path dir, long maxTotalBytes, String limitSetting) {
        this.maxTotalBytes = maxTotalBytes;
        this.limitSetting = limitSetting;
        try {
            this.dir = Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the upload spool directory " + dir, e);
        }
    }

    /**
     * What a sink made of a whole body; its owner {@linkplain #release releases} it once the request no longer needs
     * it, having disposed of the body itself.
     *
     * @param size the body's bytes, as sent
     */
    public record Spooled<T>(T body, long size) {}

    /** Gives a spooled body's bytes back to the budget. */
    public void release(Spooled<?> body) {
        spooledBytes.addAndGet(-body.size());
    }

    /**
     * Spools {@code request}'s body, of at most {@code limit} bytes, into the sink {@code sinkIn} makes for the spool
     * directory (given the body's media type, or {@code application/octet-stream} when it has none). Fails with a
     * {@link ProblemException} (413 over the limit, 503 beyond the budget, or the sink's own refusal) or, when the caller
     * hung up, with an {@link HttpClosedException}; a failed spool leaves the sink abandoned.
     */
    public <T> Future<Spooled<T>> spool(HttpServerRequest request, long limit, BiFunction<Path, String, UploadSink<T>> sinkIn) {
        String declared = request.getHeader(HttpHeaderNames.CONTENT_LENGTH);
        if (declared != null && declared.chars().allMatch(Character::isDigit) && declared.length() < 19
                && Long.parseLong(declared) > limit) {
            return Future.failedFuture(tooLarge(limit));
        }
        String type = request.getHeader(HttpHeaderNames.CONTENT_TYPE);
        UploadSink<T> sink;
        try {
            sink = sinkIn.apply(dir, type != null ? type : "application/octet-stream");
        } catch (ProblemException refused) {
            return Future.failedFuture(refused);
        }
        if (request.version() == HttpVersion.HTTP_1_1
                && HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(request.getHeader(HttpHeaderNames.EXPECT))) {
            // Only now, with the declared size and type taken: the caller holds the upload back until it is told to send it.
            request.response().writeContinue();
        }
        Promise<Spooled<T>> spooled = Promise.promise();
        new Upload<>(request, sink, limit, spooled).start();
        return spooled.future();
    }

    /**
     * The refusal of an upload a sink could not write to the spool directory (gone, not writable, full): 503, for it is
     * the service's trouble, not the caller's, and may pass.
     */
    public static ProblemException cannotWrite(Path dir, IOException cause) {
        LOG.errorf(cause, "Cannot write an upload to %s", dir);
        return new ProblemException(Problem.of(503, "spool-unavailable", "Upload cannot be taken in",
                "The service cannot write uploads to its spool directory now; try again later."));
    }

    /** Named after the form's recording, the upload an audio endpoint takes and the part that makes a body large. */
    private ProblemException tooLarge(long limit) {
        return new ProblemException(Problem.ofField(413, "body-too-large", "Request body too large", "file",
                "The upload exceeds this endpoint's limit of " + limit + " bytes (" + limitSetting + ")"));
    }

    /** One upload being taken: its size so far, and the share of the disk budget it holds until it is released. */
    private final class Upload<T> {
        private final HttpServerRequest request;
        private final UploadSink<T> sink;
        private final long limit;
        private final Promise<Spooled<T>> spooled;
        /** The chunks received and not yet handed over, so a caller sending little holds little. */
        private CompositeByteBuf pending = noChunks();
        private long size;
        private int inFlight;
        private boolean failed;
        /** The whole body is in: pausing or resuming the request is then an error (HTTP/2). */
        private boolean received;

        Upload(HttpServerRequest request, UploadSink<T> sink, long limit, Promise<Spooled<T>> spooled) {
            this.request = request;
            this.sink = sink;
            this.limit = limit;
            this.spooled = spooled;
        }

        void start() {
            if (request.response().closed()) {
                // The caller hung up before its body was asked for, and no event will say so any more.
                fail(new HttpClosedException("the caller hung up before the upload was taken in"));
                return;
            }
            request.handler(chunk -> {
                if (failed) {
                    return;
                }
                size += chunk.length();
                spooledBytes.addAndGet(chunk.length());
                if (size > limit) {
                    fail(tooLarge(limit));
                } else if (spooledBytes.get() > maxTotalBytes) {
                    fail(new ProblemException(Problem.of(503, "spool-full", "Too many uploads in flight",
                            "The upload spool is full; try again shortly.")));
                } else {
                    pending.addComponent(true, chunk.getByteBuf());
                    if (pending.readableBytes() >= PIECE_BYTES) {
                        handOver();
                    }
                }
            });
            request.exceptionHandler(error -> fail(unreadable(error)));
            request.endHandler(ended -> {
                received = true;
                if (failed) {
                    return;
                }
                if (pending.readableBytes() > 0) {
                    handOver();
                }
                sink.end().onComplete(made -> {
                    if (made.failed()) {
                        fail(made.cause());
                    } else if (!spooled.tryComplete(new Spooled<>(made.result(), size))) {
                        // Failed meanwhile: the caller hung up as the last piece was taken.
                        sink.abandon();
                    }
                });
            });
            request.resume();
        }

        /** Chunks are gathered as they came, not copied into one buffer: the decoder copies each piece once anyway. */
        private static CompositeByteBuf noChunks() {
            return Unpooled.compositeBuffer(Integer.MAX_VALUE);
        }

        private void handOver() {
            Buffer piece = Buffer.buffer(pending);
            pending = noChunks();
            if (++inFlight >= PIECES_IN_FLIGHT && !received) {
                request.pause();
            }
            sink.write(piece).onComplete(taken -> {
                if (taken.failed()) {
                    fail(taken.cause());
                } else if (--inFlight < PIECES_IN_FLIGHT && !failed && !received) {
                    request.resume();
                }
            });
        }

        /**
         * What a failure to read the body means: a caller who hung up owes nothing; anything else is a body whose HTTP
         * framing is broken (a chunk size that is no number, say), the caller's mistake, not the service's.
         */
        private static Throwable unreadable(Throwable error) {
            if (error instanceof HttpClosedException) {
                return error;
            }
            return new ProblemException(Problem.of(400, "malformed-body", "Malformed body",
                    "The request body could not be read as HTTP: " + error.getMessage()));
        }

        /** Gives up the upload: the sink is abandoned and the budget released at once, and the body's rest is read and dropped. */
        private void fail(Throwable error) {
            if (failed) {
                return;
            }
            failed = true;
            spooledBytes.addAndGet(-size);
            sink.abandon();
            if (!received) {
                request.resume();
            }
            spooled.tryFail(error);
        }
    }
}
