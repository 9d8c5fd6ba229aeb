package io.tiergate.diarization.engine;

/**
 * Says who spoke when in a recording. Engines are chosen by configuration and shared by all requests: an implementation
 * is thread-safe and keeps nothing of one recording once it has answered.
 */
public interface DiarizationEngine {

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
    Diarization diarize(float[] samples, SpeakerCountHint hint);
}
