package io.tiergate.audio.vad;

import io.tiergate.audio.PcmDecoder;

/**
 * A stretch of speech, in samples at 16 kHz from the start of the recording.
 *
 * @param startSample its first sample
 * @param endSample   the sample after its last one
 */
public record SpeechRegion(long startSample, long endSample) {

    public SpeechRegion {
        if (startSample < 0 || endSample < startSample) {
            throw new IllegalArgumentException("not a region: [" + startSample + ", " + endSample + ")");
        }
    }

    public double startSeconds() {
        return startSample / (double) PcmDecoder.SAMPLE_RATE;
    }

    public double endSeconds() {
        return endSample / (double) PcmDecoder.SAMPLE_RATE;
    }

    public long samples() {
        return endSample - startSample;
    }
}
