package io.tiergate.diarization.engine;

import io.tiergate.audio.SampleSource;
import java.io.IOException;

/**
 * Says who spoke when in a recording. Engines are chosen by configuration and shared by all requests: an implementation
 * is thread-safe and keeps nothing of one recording once it has answered.
 */
public interface DiarizationEngine extends AutoCloseable {

    /** The name the configuration chooses this engine by, and the one answers report. */
    String name();

    /** Whether this engine finds overlapped speech; one that does not never reports any, which is not "none". */
    boolean reportsOverlap();

    /**
     * Diarizes a whole recording.
     *
     * @param samples 16 kHz mono samples in [-1, 1], as {@code PcmDecoder} gives them
     * @param hint    how many speakers the caller says there are, if it knows
     */
    DiarizedRecording diarize(float[] samples, SpeakerCountHint hint);

    /**
     * Diarizes a recording as it is read (a decode of any length): an engine holds a bounded window of it at a time
     * and links the speakers of its windows, so that memory does not grow with the recording beyond its turns.
     *
     * @throws IOException when the source cannot be read
     */
    DiarizedRecording diarize(SampleSource source, SpeakerCountHint hint) throws IOException;

    /** Releases what the engine loaded (models, threads); it is not used afterwards. */
    @Override
    default void close() {
    }
}
