package io.tiergate.diarization.engine.remote;

import io.tiergate.audio.Pcm16;
import io.tiergate.audio.PcmDecoder;
import io.tiergate.audio.SampleSource;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The decoded recording as the file a remote API is sent. */
final class WavSpool {

    private static final int WAV_HEADER_BYTES = 44;

    private WavSpool() {
    }

    /**
     * Writes the source as a 16 kHz mono 16-bit WAV file as it is read, so that a recording of any length takes a
     * buffer of memory; the header's sizes are filled in at the end.
     *
     * @return how many samples were written
     */
    static long write(SampleSource source, Path file) throws IOException {
        float[] buffer = new float[1 << 15];
        long samples = 0;
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(new byte[WAV_HEADER_BYTES]);
            for (int count; (count = source.readFully(buffer, 0, buffer.length)) > 0; samples += count) {
                out.write(Pcm16.encode(buffer, 0, count));
                if (count < buffer.length) {
                    samples += count;
                    break;
                }
            }
        }
        long dataBytes = samples * 2;
        if (dataBytes > 0xFFFF_FFFFL - 36) {
            throw new IOException("the recording is too long for one WAV file");
        }
        ByteBuffer header = ByteBuffer.allocate(WAV_HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        header.put(new byte[] {'R', 'I', 'F', 'F'}).putInt((int) (36 + dataBytes)).put(new byte[] {'W', 'A', 'V', 'E'});
        header.put(new byte[] {'f', 'm', 't', ' '}).putInt(16).putShort((short) 1).putShort((short) 1)
                .putInt(PcmDecoder.SAMPLE_RATE).putInt(PcmDecoder.SAMPLE_RATE * 2).putShort((short) 2)
                .putShort((short) 16);
        header.put(new byte[] {'d', 'a', 't', 'a'}).putInt((int) dataBytes).flip();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(header, 0);
        }
        return samples;
    }
}
