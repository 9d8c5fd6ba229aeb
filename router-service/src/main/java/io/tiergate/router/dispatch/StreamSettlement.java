package io.tiergate.router.dispatch;

import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Settles a streamed answer's quota when the stream has ended or broken off: only then is its usage known. Whoever
 * pipes the stream to the caller tells it once; later calls are ignored.
 */
@FunctionalInterface
public interface StreamSettlement {

    /** For answers with nothing to settle: no reservation, or not a stream. */
    StreamSettlement NONE = reportedTokens -> { };

    /** The stream is over; {@code reportedTokens} is the usage it reported, if it did. */
    void streamEnded(OptionalLong reportedTokens);

    static StreamSettlement once(Consumer<OptionalLong> settle) {
        AtomicBoolean ended = new AtomicBoolean();
        return reportedTokens -> {
            if (ended.compareAndSet(false, true)) {
                settle.accept(reportedTokens);
            }
        };
    }
}
