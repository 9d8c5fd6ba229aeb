package io.tiergate.diarization.engine;

/**
 * What the caller knows of how many speakers a recording has: an exact count, bounds, or nothing (then the engine
 * estimates the count within its own bounds).
 *
 * @param exact the number of speakers, or null
 * @param min   at least this many, or null
 * @param max   at most this many, or null
 */
public record SpeakerCountHint(Integer exact, Integer min, Integer max) {

    public static final SpeakerCountHint UNKNOWN = new SpeakerCountHint(null, null, null);

    public SpeakerCountHint {
        if (exact != null && exact < 1) {
            throw new IllegalArgumentException("num_speakers must be at least 1, not " + exact);
        }
        if (min != null && min < 1) {
            throw new IllegalArgumentException("min_speakers must be at least 1, not " + min);
        }
        if (max != null && max < 1) {
            throw new IllegalArgumentException("max_speakers must be at least 1, not " + max);
        }
        if (min != null && max != null && min > max) {
            throw new IllegalArgumentException("min_speakers (" + min + ") is more than max_speakers (" + max + ")");
        }
        if (exact != null && (min != null || max != null)) {
            throw new IllegalArgumentException("num_speakers excludes min_speakers and max_speakers");
        }
    }

    public static SpeakerCountHint exactly(int speakers) {
        return new SpeakerCountHint(speakers, null, null);
    }

    public static SpeakerCountHint between(Integer min, Integer max) {
        return new SpeakerCountHint(null, min, max);
    }

    /** The fewest speakers to find, given the engine's own lower bound. */
    public int lowest(int engineMin) {
        return exact != null ? exact : min != null ? min : engineMin;
    }

    /** The most speakers to find, given the engine's own upper bound (a caller's bound may be above it). */
    public int highest(int engineMax) {
        return exact != null ? exact : max != null ? max : Math.max(engineMax, lowest(engineMax));
    }
}
