package io.tiergate.audio.vad;

import java.time.Duration;

/**
 * How speech probabilities, one per 32 ms window, become speech regions. The defaults are those of Silero's own
 * {@code get_speech_timestamps}, which the model was tuned with.
 *
 * @param threshold    a window whose probability is at least this starts (or continues) speech; default 0.5
 * @param negThreshold once in speech, only a window below this counts as silence: the band between the two keeps a
 *                     soft syllable from ending a region; default 0.35 (Silero's threshold − 0.15)
 * @param minSpeech    a region must be longer than this, or it is dropped as a click or a breath; default 250 ms
 * @param minSilence   speech ends only after this much silence, so pauses between words stay inside a region;
 *                     default 100 ms
 * @param speechPad    each region is widened by this at both ends (by half the gap when two regions are closer than
 *                     twice this), so word onsets and tails the model scores low are kept; default 30 ms
 */
public record VadSettings(double threshold, double negThreshold, Duration minSpeech, Duration minSilence,
                          Duration speechPad) {

    public static final VadSettings DEFAULTS = new VadSettings(0.5, 0.35, Duration.ofMillis(250), Duration.ofMillis(100),
            Duration.ofMillis(30));

    public VadSettings {
        if (!(threshold > 0 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold must be in (0, 1], not " + threshold);
        }
        if (!(negThreshold > 0 && negThreshold <= threshold)) {
            throw new IllegalArgumentException("negThreshold must be in (0, threshold], not " + negThreshold);
        }
        for (Duration duration : new Duration[] {minSpeech, minSilence, speechPad}) {
            if (duration.isNegative()) {
                throw new IllegalArgumentException("durations must not be negative: " + duration);
            }
        }
    }
}
