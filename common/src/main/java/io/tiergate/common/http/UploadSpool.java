package io.tiergate.common.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.tiergate.common.problem.Problem;
import io.tiergate.common.problem.ProblemException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Takes in an upload by writing it to a spool file as it arrives, pausing the caller while the disk catches up, so a
 * body of hundreds of megabytes never sits in the heap. An upload over its limit is refused with 413; one beyond the
 * disk budget of all uploads in flight with 503. Run on the request's event loop, before anything else reads the body.
 */
public final class UploadSpool {

    private static final Logger LOG = Logger.getLogger(UploadSpool.class);
    /**
     * Received bytes are written in pieces of this size: each write is a task for Vert.x's blocking pool, and the
     * network's own pieces (tens of kilobytes) made it thousands of tasks a recording.
     */
    private static final int WRITE_BYTES = 1 << 20;

    private final Vertx vertx;
    private final Path dir;
    private final long maxTotalBytes;
    private final String limitSetting;
    private final AtomicLong spooledBytes = new AtomicLong();

    /**
     * @param dir           where spool files go; created when missing
     * @param maxTotalBytes the disk all spooled bodies not yet discarded may take together
     * @param limitSetting  the setting a refused caller is pointed to, named in the 413's detail
     */
    public UploadSpool(Vertx vertx, Path dir, long maxTotalBytes, String limitSetting) {
        this.vertx = vertx;
        this.maxTotalBytes = maxTotalBytes;
        this.limitSetting = limitSetting;
        try {
            this.dir = Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the upload spool directory " + dir, e);
        }
    }

    /**
     * A body on disk, as it was sent; its owner {@linkplain #discard discards} it once the request no longer needs it.
     *
     * @param contentType the media type it was sent with, multipart boundary included
     */
    public record Spooled(Path file, long size, String contentType) {}

    /** Deletes a spooled body's file and gives its bytes back to the budget. */
    public void discard(Spooled body) {
        spooledBytes.addAndGet(-body.size());
        vertx.fileSystem().delete(body.file().toString())
                .onFailure(error -> LOG.warnf("Spool file %s not deleted: %s", body.file(), error));
    }

    /**
     * Spools {@code request}'s body, of at most {@code limit} bytes. Fails with a {@link ProblemException} (413 over
     * the limit, 503 beyond the budget or when the spool cannot be written) or, when the caller hung up, with an
     * {@link HttpClosedException}; a failed spool leaves no file behind.
     */
    public Future<Spooled> spool(HttpServerRequest request, long limit) {
        String declared = request.getHeader(HttpHeaderNames.CONTENT_LENGTH);
        if (declared != null && declared.chars().allMatch(Character::isDigit) && declared.length() < 19
                && Long.parseLong(declared) > limit) {
            return Future.failedFuture(tooLarge(limit));
        }
        if (request.version() == HttpVersion.HTTP_1_1
                && HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(request.getHeader(HttpHeaderNames.EXPECT))) {
            // Only now, with the declared size taken: the caller holds the upload back until it is told to send it.
            request.response().writeContinue();
        }
        request.pause();
        Path file = dir.resolve(UUID.randomUUID() + ".body");
        Promise<Spooled> spooled = Promise.promise();
        vertx.fileSystem().open(file.toString(), new OpenOptions().setWrite(true).setCreateNew(true)).onComplete(opened -> {
            if (opened.failed()) {
                LOG.errorf(opened.cause(), "Cannot create spool file %s", file);
                spooled.fail(new ProblemException(Problem.of(503, "spool-unavailable", "Upload cannot be taken in",
                        "The service cannot write uploads to its spool directory now; try again later.")));
                return;
            }
            new Upload(request, opened.result(), file, limit, spooled).start();
        });
        return spooled.future();
    }

    private ProblemException tooLarge(long limit) {
        return new ProblemException(Problem.of(413, "body-too-large", "Request body too large",
                "The upload exceeds this endpoint's limit of " + limit + " bytes (" + limitSetting + ")"));
    }

    /** One upload being written: its size so far, and the share of the disk budget it holds until it is discarded. */
    private final class Upload {
        private final HttpServerRequest request;
        private final AsyncFile out;
        private final Path file;
        private final long limit;
        private final Promise<Spooled> spooled;
        /** Received, not yet written; grown as bytes come, so a caller sending little holds little. */
        private Buffer pending = Buffer.buffer();
        private long size;
        private boolean failed;
        private Future<Void> closed;

        Upload(HttpServerRequest request, AsyncFile out, Path file, long limit, Promise<Spooled> spooled) {
            this.request = request;
            this.out = out;
            this.file = file;
            this.limit = limit;
            this.spooled = spooled;
        }

        void start() {
            if (request.response().closed()) {
                // The caller hung up while the file was being opened, and no event will say so any more.
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
                    pending.appendBuffer(chunk);
                    if (pending.length() >= WRITE_BYTES) {
                        write();
                    }
                }
            });
            request.exceptionHandler(this::fail);
            request.endHandler(ended -> {
                if (failed) {
                    return;
                }
                if (pending.length() > 0) {
                    out.write(pending);
                }
                close().onComplete(written -> {
                    if (written.failed()) {
                        fail(written.cause());
                    } else {
                        spooled.complete(new Spooled(file, size, contentType()));
                    }
                });
            });
            request.resume();
        }

        private void write() {
            out.write(pending);
            pending = Buffer.buffer();
            if (out.writeQueueFull()) {
                request.pause();
                out.drainHandler(drained -> request.resume());
            }
        }

        private String contentType() {
            String type = request.getHeader(HttpHeaderNames.CONTENT_TYPE);
            return type != null ? type : "application/octet-stream";
        }

        /** Closes the file once, however many ways the upload ends. */
        private Future<Void> close() {
            if (closed == null) {
                closed = out.close();
            }
            return closed;
        }

        /** Gives up the upload: its file and budget are released at once, and the body's rest is read and dropped. */
        private void fail(Throwable error) {
            if (failed) {
                return;
            }
            failed = true;
            spooledBytes.addAndGet(-size);
            close().eventually(() -> vertx.fileSystem().delete(file.toString()))
                    .onFailure(deleting -> LOG.warnf("Spool file %s not deleted: %s", file, deleting));
            spooled.tryFail(error);
        }
    }
}
