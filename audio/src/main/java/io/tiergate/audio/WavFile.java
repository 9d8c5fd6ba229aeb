package io.tiergate.audio;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

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
        return header(data.length, data.length).put(data).array();
    }

    /**
     * Writes the source as a WAV file as it is read, so that a recording of any length takes a buffer of memory; the
     * header's sizes are filled in at the end.
     *
     * @return how many samples were written
     * @throws IOException when the source cannot be read or the file written, or the recording is too long for one WAV
     *                     file (its sizes are 32-bit)
     */
    public static long write(SampleSource source, Path file) throws IOException {
        float[] buffer = new float[1 << 15];
        long samples = 0;
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(new byte[HEADER_BYTES]);
            for (int count; (count = source.readFully(buffer, 0, buffer.length)) > 0; ) {
                out.write(Pcm16.encode(buffer, 0, count));
                samples += count;
                if (count < buffer.length) {
                    break;
                }
            }
        }
        long dataBytes = samples * 2;
        if (dataBytes > 0xFFFF_FFFFL - 36) {
            throw new IOException("the recording is too long for one WAV file");
        }
        ByteBuffer header = header(dataBytes, 0).flip();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(header, 0);
        }
        return samples;
    }

    /** The 44-byte header of {@code dataBytes} of samples, in a buffer with {@code room} bytes free after it. */
    private static ByteBuffer header(long dataBytes, int room) {
        ByteBuffer wav = ByteBuffer.allocate(HEADER_BYTES + room).order(ByteOrder.LITTLE_ENDIAN);
        wav.put(new byte[] {'R', 'I', 'F', 'F'}).putInt((int) (36 + dataBytes)).put(new byte[] {'W', 'A', 'V', 'E'});
        wav.put(new byte[] {'f', 'm', 't', ' '}).putInt(16)
                .putShort((short) 1) // PCM
                .putShort((short) 1) // mono
                .putInt(PcmDecoder.SAMPLE_RATE)
                .putInt(PcmDecoder.SAMPLE_RATE * 2) // bytes per second
                .putShort((short) 2) // bytes per frame
                .putShort((short) 16); // bits per sample
        return wav.put(new byte[] {'d', 'a', 't', 'a'}).putInt((int) dataBytes);
    }
}
