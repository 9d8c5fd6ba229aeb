package io.tiergate.diarization.engine.embedded.embeddings;

import io.tiergate.diarization.engine.embedded.segmentation.Segment;
import java.util.List;

/** A unit-length speaker embedding per segment of one recording, compared by cosine similarity. */
public interface SpeakerEmbedder {

    /**
     * @param frames   the recording's normalised feature frames
     * @param segments the segments to embed, in order
     * @return one embedding per segment, in the segments' order
     */
    List<double[]> embed(double[][] frames, List<Segment> segments);
}
