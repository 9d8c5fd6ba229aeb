package io.tiergate.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Samples as a 16 kHz mono 16-bit PCM WAV file: what speech engines run as a process, or behind an API, read. */
public final class WavFile {

    private static final int HEADER_BYTES = 44;

    private WavFile() {
    }

    /**
     * Writes {@code length} samples from {@code offset}. Samples decoded from 16-bit audio are written back exactly;
     * others are rounded to the nearest 16-bit value and clipped to its range.
     */
    public static void write(Path file, float[] samples, int offset, int length) throws IOException {
        Files.write(file, bytes(samples, offset, length));
    }

    /** The WAV file of {@code length} samples from {@code offset}, in memory, as an upload sends it. */
    public static byte[] bytes(float[] samples, int offset, int length) {
        byte[] data = Pcm16.encode(samples, offset, length);
        ByteBuffer wav = ByteBuffer.allocate(HEADER_BYTES + data.length).order(ByteOrder.LITTLE_ENDIAN);
        wav.put(new byte[] {'R', 'I', 'F', 'F'}).putInt(36 + data.length).put(new byte[] {'W', 'A', 'V', 'E'});
        wav.put(new byte[] {'f', 'm', 't', ' '}).putInt(16)
                .putShort((short) 1) // PCM
                .putShort((short) 1) // mono
                .putInt(PcmDecoder.SAMPLE_RATE)
                .putInt(PcmDecoder.SAMPLE_RATE * 2) // bytes per second
                .putShort((short) 2) // bytes per frame
                .putShort((short) 16); // bits per sample
        wav.put(new byte[] {'d', 'a', 't', 'a'}).putInt(data.length).put(data);
        return wav.array();
    }
}
