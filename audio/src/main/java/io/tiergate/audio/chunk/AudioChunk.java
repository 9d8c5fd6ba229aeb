package io.tiergate.audio.chunk;

import io.tiergate.audio.PcmDecoder;
import io.tiergate.audio.WavFile;
import io.tiergate.audio.vad.SpeechRegion;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A stretch of a recording to transcribe on its own, with its place in the recording so that what an engine finds in it
 * is placed back at the right time.
 *
 * @param index       its position among the recording's chunks, from 0
 * @param startSample where it starts, in samples at 16 kHz from the start of the recording
 * @param samples     its 16 kHz mono samples, exactly the recording's from {@code startSample}; owned by the chunk
 * @param speech      the speech regions in it, in recording samples (not chunk samples), in order
 */
public record AudioChunk(int index, long startSample, float[] samples, List<SpeechRegion> speech) {

    public AudioChunk {
        speech = List.copyOf(speech);
    }

    /** The sample after its last one, from the start of the recording. */
    public long endSample() {
        return startSample + samples.length;
    }

    public double startSeconds() {
        return startSample / (double) PcmDecoder.SAMPLE_RATE;
    }

    public double endSeconds() {
        return endSample() / (double) PcmDecoder.SAMPLE_RATE;
    }

    /** Writes it as a 16 kHz mono 16-bit WAV file, for engines that run as a process. */
    public void writeWav(Path file) throws IOException {
        WavFile.write(file, samples, 0, samples.length);
    }
}
