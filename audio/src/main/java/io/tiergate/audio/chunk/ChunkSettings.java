package io.tiergate.audio.chunk;

import java.time.Duration;

/**
 * How a recording is cut into chunks for a speech engine.
 *
 * <p>The defaults suit Whisper-class engines. Whisper reads exactly 30 s at a time: a shorter input is padded to 30 s,
 * and a longer one the engine must cut itself, blindly, in the middle of words. A chunk of at most 30 s is transcribed
 * in one pass with nothing cut; aiming at 25 s leaves 5 s for the speech to reach a pause after the target.
 *
 * @param target     once a chunk is this long, it ends at the next pause; default 25 s
 * @param max        no chunk is longer: speech running past it is cut at its latest pause, or where the speech is least
 *                   likely when it has none; default 30 s
 * @param maxSilence a pause longer than this ends a chunk before the target, so no chunk holds a long stretch of
 *                   silence or noise: engines bill it (API engines charge by the second) and Whisper-class engines tend
 *                   to make up text in it; default 5 s
 */
public record ChunkSettings(Duration target, Duration max, Duration maxSilence) {

    public static final ChunkSettings DEFAULTS = new ChunkSettings(Duration.ofSeconds(25), Duration.ofSeconds(30),
            Duration.ofSeconds(5));

    public ChunkSettings {
        if (target.isNegative() || target.isZero() || target.compareTo(max) > 0) {
            throw new IllegalArgumentException("target must be positive and no more than max: " + target + ", " + max);
        }
        if (max.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("max must be at least 1 s, not " + max);
        }
        if (maxSilence.isNegative() || maxSilence.isZero()) {
            throw new IllegalArgumentException("maxSilence must be positive, not " + maxSilence);
        }
    }
}
