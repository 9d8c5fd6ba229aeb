package io.tiergate.diarization.engine;

import io.tiergate.audio.SampleSource;

/** Samples already in memory, read as a decode is: engines that read streams take arrays through it. */
public final class SamplesInMemory implements SampleSource {

    private final float[] samples;
    private int position;

    public SamplesInMemory(float[] samples) {
        this.samples = samples;
    }

    @Override
    public int read(float[] into, int offset, int length) {
        if (position >= samples.length) {
            return -1;
        }
        int count = Math.min(length, samples.length - position);
        System.arraycopy(samples, position, into, offset, count);
        position += count;
        return count;
    }
}
