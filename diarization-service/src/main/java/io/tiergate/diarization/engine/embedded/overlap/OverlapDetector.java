package io.tiergate.diarization.engine.embedded.overlap;

/**
 * Finds where a second speaker talks over the one a window's frames were given to, and who that is. The embedded
 * pipeline gives each frame to one speaker; a detector adds the second voice of overlapped speech, which DER counts as
 * missed speech until it is found.
 */
public interface OverlapDetector extends AutoCloseable {

    /** A frame where nobody talks over its speaker. */
    int NONE = -1;
    /** A frame where someone talks over its speaker, but who could not be told. */
    int UNKNOWN = -2;

    /**
     * The second speaker of each frame of one window.
     *
     * @param samples the window's 16 kHz samples; frames start every {@code FeatureExtractor.HOP} samples
     * @param labels  each frame's speaker ({@code 0..speakers-1}), -1 where no one speaks
     * @return per frame, the speaker ({@code 0..speakers-1}, never the frame's own) talking over the frame's speaker,
     *         {@link #UNKNOWN}, or {@link #NONE}; frames where no one speaks are always {@link #NONE}
     */
    int[] secondSpeakers(float[] samples, int[] labels);

    /** What finds the overlap, for readiness. */
    String describe();

    /** Releases what the detector holds (a model). */
    @Override
    default void close() {
    }
}
