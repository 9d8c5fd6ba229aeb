package io.tiergate.audio.vad;

import io.tiergate.audio.PcmDecoder;
import java.time.Duration;

/**
 * Turns speech probabilities, one per window, into speech regions as they stream in, with the rules of Silero's
 * {@code get_speech_timestamps} (hysteresis between two thresholds, shortest speech, shortest silence, padding) and
 * the same regions, sample for sample, with no longest-speech limit (the {@code Chunker} bounds chunks instead).
 *
 * <p>Silero's function sees the whole recording before it pads; here a region is reported as soon as its padded
 * bound is certain: its start once it has lasted longer than the shortest speech, its end once no region can start
 * closer than twice the padding (at once, with the defaults: the shortest silence is longer than that). Starts and ends
 * alternate, and no bound is later than the samples read so far. Not thread-safe: one per recording.
 */
public final class SpeechSegmenter {

    /** Receives the regions' bounds, in samples from the start of the recording. */
    public interface Listener {

        void speechStarted(long sample);

        void speechEnded(long sample);
    }

    private static final int WINDOW = VoiceActivityModel.WINDOW_SAMPLES;

    private final Listener listener;
    private final double threshold;
    private final double negThreshold;
    private final long minSpeech;
    private final long minSilence;
    private final long pad;

    private long windows;
    private long samplesRead;
    private boolean triggered;
    private boolean confirmed;
    private long rawStart;
    /** Where the silence that may end the current region began, or -1. */
    private long silenceStart = -1;
    /** The unpadded end of a region that ended, while its padded end waits on how close the next one starts, or -1. */
    private long endedAt = -1;

    public SpeechSegmenter(VadSettings settings, Listener listener) {
        this.listener = listener;
        this.threshold = settings.threshold();
        this.negThreshold = settings.negThreshold();
        this.minSpeech = samples(settings.minSpeech());
        this.minSilence = samples(settings.minSilence());
        this.pad = samples(settings.speechPad());
    }

    /**
     * Takes the next window's probability.
     *
     * @param samplesRead how many samples have been read, this window's included: less than a whole window more than
     *                    before only for the recording's last window
     */
    public void accept(float probability, long samplesRead) {
        long windowStart = windows++ * WINDOW;
        this.samplesRead = samplesRead;
        if (probability >= threshold) {
            silenceStart = -1;
            if (!triggered) {
                triggered = true;
                confirmed = false;
                rawStart = windowStart;
            }
        } else if (probability < negThreshold && triggered) {
            if (silenceStart < 0) {
                silenceStart = windowStart;
            }
            if (windowStart - silenceStart >= minSilence) {
                end(silenceStart);
            }
        }
        if (triggered && !confirmed && (silenceStart >= 0 ? silenceStart : samplesRead) - rawStart > minSpeech) {
            confirm();
        }
        if (endedAt >= 0 && nextRawStartFrom() >= endedAt + 2 * pad) {
            listener.speechEnded(endedAt + pad);
            endedAt = -1;
        }
    }

    /** Ends the recording at {@code totalSamples}: speech still going on ends there. */
    public void finish(long totalSamples) {
        samplesRead = totalSamples;
        if (triggered && totalSamples - rawStart > minSpeech) {
            if (!confirmed) {
                confirm();
            }
            listener.speechEnded(totalSamples);
        } else if (endedAt >= 0) {
            listener.speechEnded(Math.min(totalSamples, endedAt + pad));
        }
        triggered = false;
        endedAt = -1;
    }

    /** The earliest sample a region not yet reported could start at: what a reader must keep of the past. */
    public long earliestPossibleStart() {
        return Math.max(0, nextRawStartFrom() - pad);
    }

    /** The earliest unpadded start of a region not yet reported as started. */
    private long nextRawStartFrom() {
        return triggered && !confirmed ? rawStart : samplesRead;
    }

    private void end(long rawEnd) {
        triggered = false;
        silenceStart = -1;
        if (rawEnd - rawStart > minSpeech) {
            if (!confirmed) {
                confirm();
            }
            endedAt = rawEnd;
        }
    }

    /** The current region is long enough to keep: the previous one's end is now known, and this one's start. */
    private void confirm() {
        confirmed = true;
        long start;
        if (endedAt >= 0) {
            long gap = rawStart - endedAt;
            long previousPad = gap < 2 * pad ? gap / 2 : pad;
            listener.speechEnded(endedAt + previousPad);
            start = rawStart - previousPad;
            endedAt = -1;
        } else {
            start = Math.max(0, rawStart - pad);
        }
        listener.speechStarted(start);
    }

    private static long samples(Duration duration) {
        return duration.toNanos() * PcmDecoder.SAMPLE_RATE / 1_000_000_000L;
    }
}
