package io.tiergate.diarization.engine.embedded.embeddings;

import io.tiergate.diarization.engine.embedded.segmentation.Segment;
import java.util.List;

/**
 * A unit-length speaker embedding per segment of one window of a recording, compared by cosine similarity: from the
 * window's normalised feature frames (as {@link SpeakerEmbedder}s do), or from its samples (as a neural model does, on
 * features of its own).
 */
public interface WindowEmbedder extends AutoCloseable {

    /**
     * @param samples  the window's 16 kHz samples; segment frames start every {@code FeatureExtractor.HOP} samples
     * @param frames   the window's normalised feature frames
     * @param segments the segments to embed, in order
     * @return one embedding per segment, in the segments' order
     */
    List<double[]> embed(float[] samples, double[][] frames, List<Segment> segments);

    /** What the embeddings come from, for readiness. */
    String describe();

    /** Releases what the embedder holds (a model, threads). */
    @Override
    default void close() {
    }
}
