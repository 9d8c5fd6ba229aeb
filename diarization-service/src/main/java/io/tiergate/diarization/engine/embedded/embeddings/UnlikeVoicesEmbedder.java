package io.tiergate.diarization.engine.embedded.embeddings;

import io.tiergate.diarization.engine.embedded.segmentation.Segment;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Supervectors, joined with frame statistics when the recording's voices differ grossly.
 *
 * <p>A supervector measures a segment against a background model fitted to the recording. When its voices differ
 * grossly (recorded in other rooms, on other microphones, over a telephone line), the model gives each voice components
 * of its own, and the mean shifts within them are mostly what was said: one voice's segments then look no more alike
 * than two voices' (pair AUC 0.42 to 0.72 on meetings mixed from several recordings, against 0.82 and 0.94 on one
 * room's). Frame statistics see those gross differences plainly (0.89 to 0.99 there) but hardly tell apart two voices
 * of one room (0.58). So the statistics join in, carrying half the similarity, only when they show the voices falling
 * into groups that hardly resemble each other; in one room the supervectors are used alone, as before.
 *
 * @param supervectors   the embedder of one room's voices
 * @param statistics     the frame statistics, which also decide
 * @param grosslyUnlike  whether the segments' statistics fall into groups that hardly resemble each other
 */
public record UnlikeVoicesEmbedder(SpeakerEmbedder supervectors, SpeakerEmbedder statistics,
                                   Predicate<List<double[]>> grosslyUnlike) implements SpeakerEmbedder {

    /** How much of the similarity the statistics carry when they join: as much as the supervectors. */
    static final double STATISTICS_SHARE = 0.5;

    @Override
    public List<double[]> embed(double[][] frames, List<Segment> segments) {
        List<double[]> voices = statistics.embed(frames, segments);
        if (!grosslyUnlike.test(voices)) {
            return supervectors.embed(frames, segments);
        }
        return join(supervectors.embed(frames, segments), voices, STATISTICS_SHARE);
    }

    /**
     * Each pair of unit-length embeddings joined into one whose cosine with another joined one is the weighted mean of
     * the two parts' cosines: {@code (1 - share) * cos(a) + share * cos(b)}.
     */
    static List<double[]> join(List<double[]> a, List<double[]> b, double share) {
        List<double[]> out = new ArrayList<>(a.size());
        double aScale = Math.sqrt(1 - share);
        double bScale = Math.sqrt(share);
        for (int i = 0; i < a.size(); i++) {
            double[] joined = new double[a.get(i).length + b.get(i).length];
            for (int d = 0; d < a.get(i).length; d++) {
                joined[d] = aScale * a.get(i)[d];
            }
            for (int d = 0; d < b.get(i).length; d++) {
                joined[a.get(i).length + d] = bScale * b.get(i)[d];
            }
            // Unit length already, unless a part is all zeros (a lone segment's, centred away).
            StatisticsEmbedder.unitLength(joined);
            out.add(joined);
        }
        return out;
    }
}
