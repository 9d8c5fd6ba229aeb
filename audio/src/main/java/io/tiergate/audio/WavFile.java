package io.tiergate.audio;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes samples as a 16 kHz mono 16-bit PCM WAV file: what speech engines run as a process read. */
public final class WavFile {

    private static final int HEADER_BYTES = 44;

    private WavFile() {
    }

    /**
     * Writes {@code length} samples from {@code offset}. Samples decoded from 16-bit audio are written back exactly;
     * others are rounded to the nearest 16-bit value and clipped to its range.
     */
    public static void write(Path file, float[] samples, int offset, int length) throws IOException {
        ByteBuffer wav = ByteBuffer.allocate(HEADER_BYTES + 2 * length).order(ByteOrder.LITTLE_ENDIAN);
        int dataBytes = 2 * length;
        wav.put(new byte[] {'R', 'I', 'F', 'F'}).putInt(36 + dataBytes).put(new byte[] {'W', 'A', 'V', 'E'});
        wav.put(new byte[] {'f', 'm', 't', ' '}).putInt(16)
                .putShort((short) 1) // PCM
                .putShort((short) 1) // mono
                .putInt(PcmDecoder.SAMPLE_RATE)
                .putInt(PcmDecoder.SAMPLE_RATE * 2) // bytes per second
                .putShort((short) 2) // bytes per frame
                .putShort((short) 16); // bits per sample
        wav.put(new byte[] {'d', 'a', 't', 'a'}).putInt(dataBytes);
        for (int i = offset; i < offset + length; i++) {
            wav.putShort(toPcm16(samples[i]));
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(wav.array());
        }
    }

    private static short toPcm16(float sample) {
        return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(sample * 32768f)));
    }
}
