package io.tiergate.audio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Samples as 16-bit signed little-endian PCM, the raw form speech engines and WAV files take. */
public final class Pcm16 {

    private Pcm16() {
    }

    /** The samples in [-1, 1) as 16-bit little-endian bytes, clipped at full scale. */
    public static byte[] encode(float[] samples, int from, int count) {
        byte[] bytes = new byte[count * 2];
        for (int i = 0; i < count; i++) {
            int value = Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(samples[from + i] * 32768f)));
            bytes[2 * i] = (byte) value;
            bytes[2 * i + 1] = (byte) (value >> 8);
        }
        return bytes;
    }

    /** All the samples as 16-bit little-endian bytes. */
    public static byte[] encode(float[] samples) {
        return encode(samples, 0, samples.length);
    }

    /** A 16 kHz mono 16-bit WAV file of the samples, as a file upload sends it. */
    public static byte[] wav(float[] samples) {
        byte[] data = encode(samples);
        ByteBuffer wav = ByteBuffer.allocate(44 + data.length).order(ByteOrder.LITTLE_ENDIAN);
        wav.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + data.length).put("WAVE".getBytes(StandardCharsets.US_ASCII));
        wav.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1)
                .putInt(PcmDecoder.SAMPLE_RATE).putInt(PcmDecoder.SAMPLE_RATE * 2).putShort((short) 2).putShort((short) 16);
        wav.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(data.length).put(data);
        return wav.array();
    }
}
