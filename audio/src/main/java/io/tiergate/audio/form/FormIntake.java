package io.tiergate.audio.form;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.mutiny.Uni;
import io.tiergate.common.http.InterruptibleWork;
import io.tiergate.common.http.UploadSpool;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.eclipse.microprofile.config.Config;

/**
 * How a speech pod takes an audio form: the body is spooled to disk as it arrives, on the event loop, so a caller
 * sending slowly holds no thread; then, on a worker thread, it is read with {@link MultipartForms} (the router's reader)
 * and answered. The spool file and the form's uploads are deleted once the answer is done, whatever it was.
 */
public final class FormIntake {

    private final UploadSpool spool;
    private final long maxBodyBytes;
    private final Set<String> uploads;
    private final Map<String, Integer> fieldLimits;

    /**
     * @param uploads     the fields that may be uploads besides {@code file}
     * @param fieldLimits the text fields that may be longer than the reader's default, with their limits in bytes
     */
    public FormIntake(UploadSpool spool, long maxBodyBytes, Set<String> uploads, Map<String, Integer> fieldLimits) {
        this.spool = spool;
        this.maxBodyBytes = maxBodyBytes;
        this.uploads = Set.copyOf(uploads);
        this.fieldLimits = Map.copyOf(fieldLimits);
    }

    /**
     * A pod's intake, by Quarkus's HTTP settings: bodies spooled in {@code quarkus.http.body.uploads-directory}, each
     * at most {@code quarkus.http.limits.max-body-size}. As with Quarkus REST's own form reading, the disk taken by
     * uploads in flight is bounded by that limit per request only.
     */
    public static FormIntake of(Vertx vertx, Config config, Set<String> uploads, Map<String, Integer> fieldLimits) {
        Path dir = Path.of(config.getValue("quarkus.http.body.uploads-directory", String.class));
        long maxBodyBytes = config.getOptionalValue("quarkus.http.limits.max-body-size", MemorySize.class)
                .map(MemorySize::asLongValue).orElse(Long.MAX_VALUE);
        return new FormIntake(new UploadSpool(vertx, dir, Long.MAX_VALUE, "quarkus.http.limits.max-body-size"),
                maxBodyBytes, uploads, fieldLimits);
    }

    /**
     * {@code work}'s answer to the form {@code request} carries, worked out on a worker thread and interrupted when the
     * caller hangs up ({@link InterruptibleWork}). Call it from the request's event loop, before its body is read.
     */
    public <T> Uni<T> answer(HttpServerRequest request, Function<AudioForm, T> work) {
        return spooled(request).onItem().transformToUni(body -> InterruptibleWork.onAWorker(() -> {
            AudioForm form = MultipartForms.read(body.file(), body.contentType(), uploads, fieldLimits);
            try {
                return work.apply(form);
            } finally {
                form.discard();
            }
        }).onTermination().invoke(() -> spool.discard(body)));
    }

    /** The spooled body; one spooled for an answer no longer awaited is discarded at once. */
    private Uni<UploadSpool.Spooled> spooled(HttpServerRequest request) {
        return Uni.createFrom().emitter(emitter -> {
            boolean[] ended = {false};
            emitter.onTermination(() -> {
                synchronized (ended) {
                    ended[0] = true;
                }
            });
            spool.spool(request, maxBodyBytes).onComplete(result -> {
                synchronized (ended) {
                    if (result.failed()) {
                        emitter.fail(result.cause());
                    } else if (ended[0]) {
                        spool.discard(result.result());
                    } else {
                        // Under the lock: a cancellation cannot come between the check and the body reaching the answer.
                        emitter.complete(result.result());
                    }
                }
            });
        });
    }
}
