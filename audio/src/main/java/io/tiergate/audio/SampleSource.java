package io.tiergate.audio;

import java.io.IOException;

/** Where 16 kHz mono samples come from, in order: a decode ({@link PcmStream}), or samples already in memory. */
public interface SampleSource {

    /**
     * Reads up to {@code length} samples into {@code into} from {@code offset}.
     *
     * @return how many were read (0 only when {@code length} is 0), or -1 at the end
     */
    int read(float[] into, int offset, int length) throws IOException;

    /**
     * Reads until {@code length} samples are in or the source ends.
     *
     * @return how many were read: fewer than {@code length} only at the end, 0 when it had already ended
     */
    default int readFully(float[] into, int offset, int length) throws IOException {
        int total = 0;
        for (int read; total < length && (read = read(into, offset + total, length - total)) >= 0; ) {
            total += read;
        }
        return total;
    }
}
