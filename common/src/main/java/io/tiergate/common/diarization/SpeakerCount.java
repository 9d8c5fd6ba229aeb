package io.tiergate.common.diarization;

import java.util.OptionalInt;

/**
 * What the caller of {@code POST /v1/audio/diarizations} says of how many speakers a recording has: an exact count
 * ({@code num_speakers}), bounds ({@code min_speakers}, {@code max_speakers}), or nothing.
 *
 * @param exact the number of speakers, or null
 * @param min   at least this many, or null
 * @param max   at most this many, or null
 */
public record SpeakerCount(Integer exact, Integer min, Integer max) {

    /** The most speakers the caller expects: the exact count, else the upper bound; empty when it gave neither. */
    public OptionalInt most() {
        return exact != null ? OptionalInt.of(exact)
                : max != null ? OptionalInt.of(max) : OptionalInt.empty();
    }
}
