package io.tiergate.common.http;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import java.util.concurrent.CancellationException;
import java.util.function.Supplier;

/**
 * Work that answers a request, run on a worker thread and stopped when the caller hangs up. An endpoint returns its
 * {@link Uni}, so Quarkus REST is not asked to block a worker for the request itself.
 */
public final class InterruptibleWork {

    private InterruptibleWork() {}

    /**
     * {@code work} on a worker thread. A caller hanging up cancels the answer, and the work is interrupted, which the
     * speech pipelines take as the end of it: an abandoned recording does not keep its decoder and engine slots to the
     * end.
     */
    public static <T> Uni<T> onAWorker(Supplier<T> work) {
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
}
