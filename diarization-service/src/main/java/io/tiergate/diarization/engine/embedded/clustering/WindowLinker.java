package io.tiergate.diarization.engine.embedded.clustering;

import io.tiergate.diarization.engine.embedded.embeddings.StatisticsEmbedder;
import java.util.ArrayList;
import java.util.List;

/**
 * Links the speakers found in the windows of a long recording into the recording's speakers, so that one voice keeps
 * one label from start to end. Each window's speaker is described by statistics over all its frames in the window
 * (minutes of speech, so they are steadier than any segment's), and these are clustered like segments are.
 */
public final class WindowLinker {

    private WindowLinker() {
    }

    /**
     * The recording's speaker ({@code 0..k-1}) of each window speaker.
     *
     * @param statistics per window speaker, the statistics of its frames, normalised over the window's speech (the same
     *                   statistics of the frames before normalising linked no better: better with 30 s windows on the
     *                   meetings of bench/speech/make-meetings.sh, worse with 60 s ones)
     * @param weights    per window speaker, how much it speaks
     * @param min        the fewest speakers in the recording
     * @param max        the most speakers in the recording
     */
    public static int[] link(List<double[]> statistics, double[] weights, int min, int max,
                             EigengapCountEstimator estimator) {
        List<double[]> embeddings = new ArrayList<>();
        statistics.forEach(s -> embeddings.add(s.clone()));
        StatisticsEmbedder.standardize(embeddings);
        embeddings.forEach(StatisticsEmbedder::unitLength);
        int lowest = Math.min(min, embeddings.size());
        int highest = Math.min(max, embeddings.size());
        int count = lowest >= highest ? lowest : estimator.estimate(embeddings, lowest, highest);
        return AgglomerativeClustering.cluster(embeddings, weights, count);
    }
}
