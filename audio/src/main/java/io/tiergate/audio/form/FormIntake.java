package io.tiergate.audio.form;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.mutiny.Uni;
import io.tiergate.common.http.InterruptibleWork;
import io.tiergate.common.http.UploadSink;
import io.tiergate.common.http.UploadSpool;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.eclipse.microprofile.config.Config;

/**
 * How a speech pod takes an audio form: the body is decoded as it arrives ({@link FormSink}: on worker threads, the
 * caller paused while the decoder catches up), each upload written to a file of its own; then, on a worker thread, the
 * form is answered. The form's uploads are deleted once the answer is done, whatever it was.
 */
public final class FormIntake {

    private final Vertx vertx;
    private final UploadSpool spool;
    private final long maxBodyBytes;
    private final BiFunction<Path, String, UploadSink<AudioForm>> sinks;

    /**
     * @param uploads     the fields that may be uploads besides {@code file}
     * @param fieldLimits the text fields that may be longer than the reader's default, with their limits in bytes
     */
    public FormIntake(Vertx vertx, UploadSpool spool, long maxBodyBytes, Set<String> uploads, Map<String, Integer> fieldLimits) {
        this.vertx = vertx;
        this.spool = spool;
        this.maxBodyBytes = maxBodyBytes;
        this.sinks = FormSink.of(vertx, uploads, fieldLimits);
    }

    /**
     * A pod's intake, by Quarkus's HTTP settings: uploads written to {@code quarkus.http.body.uploads-directory}, each
     * body at most {@code quarkus.http.limits.max-body-size}. As with Quarkus REST's own form reading, the disk taken by
     * uploads in flight is bounded by that limit per request only.
     */
    public static FormIntake of(Vertx vertx, Config config, Set<String> uploads, Map<String, Integer> fieldLimits) {
        Path dir = Path.of(config.getValue("quarkus.http.body.uploads-directory", String.class));
        long maxBodyBytes = config.getOptionalValue("quarkus.http.limits.max-body-size", MemorySize.class)
                .map(MemorySize::asLongValue).orElse(Long.MAX_VALUE);
        return new FormIntake(vertx, new UploadSpool(dir, Long.MAX_VALUE, "quarkus.http.limits.max-body-size"),
                maxBodyBytes, uploads, fieldLimits);
    }

    /**
     * {@code work}'s answer to the form {@code request} carries, worked out on a worker thread and interrupted when the
     * caller hangs up ({@link InterruptibleWork}). Call it from the request's event loop, before its body is read.
     */
    public <T> Uni<T> answer(HttpServerRequest request, Function<AudioForm, T> work) {
        return spooled(request).onItem().transformToUni(form -> InterruptibleWork.onAWorker(() -> work.apply(form.body()))
                .onTermination().invoke(() -> FormSink.discard(vertx, spool, form)));
    }

    /** The form, as it arrived; one made for an answer no longer awaited is discarded at once. */
    private Uni<UploadSpool.Spooled<AudioForm>> spooled(HttpServerRequest request) {
        return Uni.createFrom().emitter(emitter -> {
            boolean[] ended = {false};
            emitter.onTermination(() -> {
                synchronized (ended) {
                    ended[0] = true;
                }
            });
            spool.spool(request, maxBodyBytes, sinks).onComplete(result -> {
                synchronized (ended) {
                    if (result.failed()) {
                        emitter.fail(result.cause());
                    } else if (ended[0]) {
                        FormSink.discard(vertx, spool, result.result());
                    } else {
                        // Under the lock: a cancellation cannot come between the check and the form reaching the answer.
                        emitter.complete(result.result());
                    }
                }
            });
        });
    }
}
