package io.tiergate.common.http;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.tiergate.common.problem.ProblemException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.Supplier;
import org.jboss.resteasy.reactive.server.multipart.FormValue;
import org.jboss.resteasy.reactive.server.multipart.MultipartFormDataInput;

/**
 * A multipart form as the speech pods read it: one required file part, and text fields. A part of the wrong kind is a
 * 400 naming it, so a caller who mixed up {@code -F name=value} and {@code -F name=@file} is told which.
 */
public final class MultipartForm {

    private final Map<String, Collection<FormValue>> values;

    public MultipartForm(MultipartFormDataInput form) {
        this.values = form.getValues();
    }

    /**
     * {@code work} on a worker thread, for an endpoint taking a form: such an endpoint returns this {@link Uni} so that
     * Quarkus REST reads the form on the event loop as it arrives. A blocking endpoint has its form read on a worker
     * thread, which a client sending its upload slowly holds for as long as it keeps sending; a few hundred such
     * clients took every worker, readiness included. A caller hanging up cancels the answer, and the work is
     * interrupted, which the speech pipelines take as the end of it: an abandoned recording does not keep its decoder
     * and engine slots to the end.
     */
    public static <T> Uni<T> answeredOnAWorker(Supplier<T> work) {
        Interruptible running = new Interruptible();
        return Uni.createFrom().item(() -> running.call(work))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onCancellation().invoke(running::interrupt);
    }

    /** The thread running a piece of work, interrupted while it runs it and never after. */
    private static final class Interruptible {

        private Thread thread;
        private boolean interrupted;

        <T> T call(Supplier<T> work) {
            synchronized (this) {
                if (interrupted) {
                    throw new CancellationException("the caller hung up");
                }
                thread = Thread.currentThread();
            }
            try {
                return work.get();
            } catch (RuntimeException e) {
                synchronized (this) {
                    if (interrupted) {
                        // How the work ended is news to no one: the caller is gone, and Mutiny would log it as dropped.
                        return null;
                    }
                }
                throw e;
            } finally {
                synchronized (this) {
                    thread = null;
                    // An interrupt that came as the work ended must not reach the worker's next task.
                    Thread.interrupted();
                }
            }
        }

        synchronized void interrupt() {
            interrupted = true;
            if (thread != null) {
                thread.interrupt();
            }
        }
    }

    /**
     * The one file part named {@code field}.
     *
     * @throws ProblemException naming the field when it is absent, given twice, or a text field
     */
    public FormValue file(String field) {
        Collection<FormValue> files = values.getOrDefault(field, List.of());
        if (files.isEmpty()) {
            throw ProblemException.badField(field, field + " is required: the recording, as a multipart file part");
        }
        if (files.size() > 1) {
            throw ProblemException.badField(field, field + " is given " + files.size() + " times");
        }
        FormValue file = files.iterator().next();
        if (!file.isFileItem()) {
            throw ProblemException.badField(field, field + " must be a file part (with a filename), not a text field");
        }
        return file;
    }

    /**
     * The values sent under a text field, an empty list when it is absent.
     *
     * @throws ProblemException naming the field when a value is a file part
     */
    public List<String> texts(String field) {
        Collection<FormValue> given = parts(field);
        for (FormValue value : given) {
            if (value.isFileItem()) {
                throw ProblemException.badField(field, field + " must be a text field, not a file");
            }
        }
        return given.stream().map(FormValue::getValue).toList();
    }

    /** The parts sent under a field, text or file, an empty collection when it is absent. */
    public Collection<FormValue> parts(String field) {
        return values.getOrDefault(field, List.of());
    }
}
