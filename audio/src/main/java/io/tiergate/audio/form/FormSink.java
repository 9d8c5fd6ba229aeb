package io.tiergate.audio.form;

import io.tiergate.common.http.UploadSink;
import io.tiergate.common.http.UploadSpool;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import org.jboss.logging.Logger;

/**
 * An upload decoded into its form as it arrives: each piece is offered to {@link MultipartForms} on a worker thread
 * once the piece before it is taken, so the form is read while the caller is still sending it, off the event loop,
 * and the body itself is never written to disk, only its uploads. Called on the request's event loop.
 */
public final class FormSink implements UploadSink<AudioForm> {

    private static final Logger LOG = Logger.getLogger(FormSink.class);

    private final Vertx vertx;
    private final MultipartForms decoder;
    /** The last step handed to a worker: the next waits for it. */
    private Future<?> last = Future.succeededFuture();
    /** The form, once made; written and read by steps of one chain, one after another. */
    private volatile AudioForm made;
    private boolean abandoned;

    private FormSink(Vertx vertx, MultipartForms decoder) {
        this.vertx = vertx;
        this.decoder = decoder;
    }

    /**
     * Sinks for an {@link io.tiergate.common.http.UploadSpool}: each opens a decoder for the body's media type, writing
     * uploads to the spool directory (see {@link MultipartForms#open} for the arguments and refusals).
     */
    public static BiFunction<Path, String, UploadSink<AudioForm>> of(Vertx vertx, Set<String> uploads,
            Map<String, Integer> fieldLimits) {
        return (dir, type) -> new FormSink(vertx, MultipartForms.open(dir, type, uploads, fieldLimits));
    }

    /**
     * Deletes a spooled form's uploads on a worker thread (deleting a large file can take a while), then gives its
     * bytes back to {@code spool}'s budget.
     */
    public static void discard(Vertx vertx, UploadSpool spool, UploadSpool.Spooled<AudioForm> form) {
        vertx.<Void>executeBlocking(() -> {
            form.body().discard();
            return null;
        }, false).onFailure(error -> LOG.warnf("Uploads not deleted: %s", error.toString()))
                .onComplete(discarded -> spool.release(form));
    }

    @Override
    public Future<Void> write(Buffer piece) {
        Future<Void> taken = last.compose(ignored -> vertx.executeBlocking(() -> {
            decoder.offer(piece);
            return null;
        }, false));
        last = taken;
        return taken;
    }

    @Override
    public Future<AudioForm> end() {
        Future<AudioForm> form = last.compose(ignored -> vertx.executeBlocking(() -> made = decoder.finish(), false));
        last = form;
        return form;
    }

    @Override
    public void abandon() {
        if (abandoned) {
            return;
        }
        abandoned = true;
        last.onComplete(ignored -> vertx.executeBlocking(() -> {
            if (made != null) {
                made.discard();
            } else {
                decoder.abandon();
            }
            return null;
        }, false));
    }
}
