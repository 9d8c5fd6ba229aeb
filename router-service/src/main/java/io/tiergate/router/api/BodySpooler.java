package io.tiergate.router.api;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.tiergate.common.problem.Problem;
import io.tiergate.common.problem.ProblemException;
import io.tiergate.router.config.RouterConfig;
import io.tiergate.router.dispatch.RequestBody;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Takes in an upload by writing it to a spool file as it arrives, pausing the caller while the disk catches up, so a
 * body of hundreds of megabytes never sits in the heap. The file is the request's body for every attempt and is
 * deleted when the response has ended. Uploads over the per-request limit get 413; beyond the disk budget of all uploads
 * in flight, 503.
 */
@ApplicationScoped
public class BodySpooler {

    private static final Logger LOG = Logger.getLogger(BodySpooler.class);
    private static final String BODY = "tiergate.spooled-body";

    private final Vertx vertx;
    private final RouterConfig.Spool config;
    private final Path dir;
    private final AtomicLong spooledBytes = new AtomicLong();

    public BodySpooler(Vertx vertx, RouterConfig config) {
        this.vertx = vertx;
        this.config = config.spool();
        try {
            this.dir = Files.createDirectories(this.config.dir().map(Path::of)
                    .orElse(Path.of(System.getProperty("java.io.tmpdir"), "tiergate-spool")));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the spool directory (tiergate.router.spool.dir)", e);
        }
    }

    /** The body spooled for this request, or null when its endpoint reads bodies into memory. */
    static RequestBody spooledBody(RoutingContext ctx) {
        return ctx.get(BODY);
    }

    /** A route handler taking uploads of at most {@code limit} bytes. */
    Handler<RoutingContext> limitedTo(long limit) {
        return ctx -> spool(ctx, limit);
    }

    private void spool(RoutingContext ctx, long limit) {
        HttpServerRequest request = ctx.request();
        String declared = request.getHeader(HttpHeaderNames.CONTENT_LENGTH);
        if (declared != null && declared.chars().allMatch(Character::isDigit) && declared.length() < 19
                && Long.parseLong(declared) > limit) {
            ctx.fail(tooLarge(limit));
            return;
        }
        if (request.version() == HttpVersion.HTTP_1_1
                && HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(request.getHeader(HttpHeaderNames.EXPECT))) {
            // Only now, with the declared size taken: the caller holds the upload back until it is told to send it.
            request.response().writeContinue();
        }
        request.pause();
        Path file = dir.resolve(UUID.randomUUID() + ".body");
        vertx.fileSystem().open(file.toString(), new OpenOptions().setWrite(true).setCreateNew(true)).onComplete(opened -> {
            if (opened.failed()) {
                LOG.errorf(opened.cause(), "Cannot create spool file %s", file);
                ctx.fail(new ProblemException(Problem.of(503, "spool-unavailable", "Upload cannot be taken in",
                        "The router cannot write uploads to its spool directory now; try again later.")));
                return;
            }
            new Upload(ctx, opened.result(), file, limit).start();
        });
    }

    private static ProblemException tooLarge(long limit) {
        return new ProblemException(Problem.of(413, "body-too-large", "Request body too large",
                "The upload exceeds this endpoint's limit of " + limit
                        + " bytes (tiergate.router.spool.max-body-bytes, or tiergate.router.body-limits.<capability>)"));
    }

    /** One upload being written: its size so far, and the share of the disk budget it holds until the response ends. */
    private final class Upload {
        private final RoutingContext ctx;
        private final AsyncFile out;
        private final Path file;
        private final long limit;
        private long size;
        private boolean failed;
        private Future<Void> closed;

        Upload(RoutingContext ctx, AsyncFile out, Path file, long limit) {
            this.ctx = ctx;
            this.out = out;
            this.file = file;
            this.limit = limit;
        }

        void start() {
            HttpServerRequest request = ctx.request();
            ctx.addEndHandler(ignored -> discard());
            request.handler(chunk -> {
                if (failed) {
                    return;
                }
                size += chunk.length();
                spooledBytes.addAndGet(chunk.length());
                if (size > limit) {
                    fail(tooLarge(limit));
                } else if (spooledBytes.get() > config.maxTotalBytes()) {
                    fail(new ProblemException(Problem.of(503, "spool-full", "Too many uploads in flight",
                            "The router's upload spool is full (tiergate.router.spool.max-total-bytes); try again shortly.")));
                } else {
                    out.write(chunk);
                    if (out.writeQueueFull()) {
                        request.pause();
                        out.drainHandler(drained -> request.resume());
                    }
                }
            });
            request.exceptionHandler(error -> {
                if (error instanceof HttpClosedException) {
                    // The caller hung up: no one is left to answer, and nothing went wrong here.
                    failed = true;
                    close();
                } else {
                    fail(error);
                }
            });
            request.endHandler(ended -> {
                if (failed) {
                    return;
                }
                close().onComplete(written -> {
                    if (written.failed()) {
                        fail(written.cause());
                        return;
                    }
                    ctx.put(BODY, new RequestBody.Spooled(file, size, contentType()));
                    ctx.next();
                });
            });
            request.resume();
        }

        private String contentType() {
            String type = ctx.request().getHeader(HttpHeaderNames.CONTENT_TYPE);
            return type != null ? type : "application/octet-stream";
        }

        /** Closes the file once, however many ways the upload ends. */
        private Future<Void> close() {
            if (closed == null) {
                closed = out.close();
            }
            return closed;
        }

        private void fail(Throwable error) {
            failed = true;
            close();
            if (!ctx.failed() && !ctx.response().ended()) {
                ctx.fail(error);
            }
        }

        /** The response has ended: the file is no longer needed by any attempt. */
        private void discard() {
            spooledBytes.addAndGet(-size);
            close().eventually(() -> vertx.fileSystem().delete(file.toString()))
                    .onFailure(error -> LOG.warnf("Spool file %s not deleted: %s", file, error));
        }
    }
}
