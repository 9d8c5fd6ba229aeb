package io.tiergate.audio;

/** Samples as 16-bit signed little-endian PCM, the raw form speech engines and WAV files take. */
public final class Pcm16 {

    private Pcm16() {
    }

    /** The samples in [-1, 1) as 16-bit little-endian bytes, clipped at full scale. */
    public static byte[] encode(float[] samples, int from, int count) {
        byte[] bytes = new byte[count * 2];
        for (int i = 0; i < count; i++) {
            short value = sample(samples[from + i]);
            bytes[2 * i] = (byte) value;
            bytes[2 * i + 1] = (byte) (value >> 8);
        }
        return bytes;
    }

    /** The samples in [-1, 1) as 16-bit values, clipped at full scale, for engines called in-process. */
    public static short[] toShorts(float[] samples, int from, int count) {
        short[] values = new short[count];
        for (int i = 0; i < count; i++) {
            values[i] = sample(samples[from + i]);
        }
        return values;
    }

    private static short sample(float value) {
        return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(value * 32768f)));
    }

    /** All the samples as 16-bit little-endian bytes. */
    public static byte[] encode(float[] samples) {
        return encode(samples, 0, samples.length);
    }
}
