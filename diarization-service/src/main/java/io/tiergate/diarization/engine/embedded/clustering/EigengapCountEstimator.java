package io.tiergate.diarization.engine.embedded.clustering;

import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;

/**
 * Estimates how many speakers there are from the spectrum of the segments' affinity graph: with k speakers whose
 * segments are alike within and unlike across, the graph Laplacian has k eigenvalues near zero and then a gap. The
 * graph keeps, for each segment, only its {@code keepFraction} most similar neighbours (as NME-SC does), so the many
 * weak similarities across speakers do not blur the gap.
 *
 * @param keepFraction the share of each segment's neighbours kept in the graph
 */
public record EigengapCountEstimator(double keepFraction) {

    /**
     * Neighbours each segment keeps at least in the one-voice graph: with the share alone, a recording of a few segments
     * keeps one or two each, and such a graph falls apart into pairs whatever the voices.
     */
    private static final int ONE_VOICE_NEIGHBOURS = 6;

    /**
     * Of the gaps at least this share of the widest, the one of the fewest speakers is taken: a spectrum with no clear
     * gap otherwise gave its last small one, e.g. 7 speakers for 25 s of one reader whose gaps after 2 and after 7 differ
     * by a seventh. Measured (bench/speech/diarization-bench.sh, against the widest gap alone): the meeting real5a 0.3113
     * to 0.2034, session-60min 0.5082 to 0.5115, one 20 s cut of a meeting 0.2362 to 0.2400, the other meetings, clips,
     * cuts and session-10min unchanged; 0.6 made three meetings worse (real5b 0.3886 to 0.4498), 0.7 to 0.9 scored alike
     * on all of them, and 0.7 alone gave JFK followed by the reader 2 speakers (0.75 to 0.9: 3).
     */
    private static final double NEARLY_WIDEST = 0.7;

    /** The speaker-count graph's weighting: a negative cosine links nothing. */
    private static final DoubleUnaryOperator CUT_AT_ZERO = cosine -> Math.max(cosine, 0);

    /** The fewest speakers in {@code [min, max]} whose eigengap is nearly the widest (see {@link #NEARLY_WIDEST}). */
    public int estimate(List<double[]> embeddings, int min, int max) {
        int n = embeddings.size();
        if (n <= 2 || max <= 1) {
            return Math.max(1, Math.min(min, n));
        }
        return countOf(similarities(embeddings), min, max);
    }

    /**
     * As {@link #estimate(List, int, int)}, but one speaker when {@code min} allows it and the segments are
     * {@linkplain #oneVoice one voice} at {@code oneVoiceAbove}; both graphs are built from one similarity matrix.
     */
    public int estimate(List<double[]> embeddings, int min, int max, double oneVoiceAbove) {
        int n = embeddings.size();
        if (n <= 2 || max <= 1) {
            return Math.max(1, Math.min(min, n));
        }
        double[][] similarity = similarities(embeddings);
        return min <= 1 && oneVoice(similarity, oneVoiceAbove) ? 1 : countOf(similarity, min, max);
    }

    private int countOf(double[][] similarity, int min, int max) {
        return fewestWithANearlyWidestGap(spectrum(similarity, sparseKeep(similarity.length), CUT_AT_ZERO), similarity.length,
                min, max);
    }

    /**
     * The graph's second-smallest eigenvalue (its algebraic connectivity): near zero when the segments fall into groups
     * that hardly resemble each other, since by Cheeger's inequality it bounds how cleanly the graph can be cut in two.
     * 2 for fewer than three segments, which make no graph worth cutting.
     */
    public double connectivity(List<double[]> embeddings) {
        return embeddings.size() <= 2 ? 2 : spectrum(embeddings)[1];
    }

    /**
     * Whether the segments are all one voice: the graph linking each segment to its nearest neighbours (the share, but at
     * least {@link #ONE_VOICE_NEIGHBOURS}), each link weighted (1 + cosine) / 2 rather than cut at zero, stays well
     * connected, its algebraic connectivity at least {@code threshold}. The embeddings are relative to the recording's
     * own mean, so one voice's segments differ only by what was said, in no direction shared by several of them: no cut
     * parts them, while two voices leave one of weak links. {@link #estimate} cannot answer this for a short recording,
     * whose few segments make a graph of pairs and so as many "speakers" as it allows.
     */
    public boolean oneVoice(List<double[]> embeddings, double threshold) {
        return oneVoice(similarities(embeddings), threshold);
    }

    private boolean oneVoice(double[][] similarity, double threshold) {
        int n = similarity.length;
        if (n <= 2) {
            return true;
        }
        int keep = Math.min(n - 1, Math.max(ONE_VOICE_NEIGHBOURS, (int) Math.round(keepFraction * n)));
        return spectrum(similarity, keep, cosine -> (1 + cosine) / 2)[1] >= threshold;
    }

    /** The eigenvalues, ascending, of the normalised Laplacian of the segments' nearest-neighbour graph. */
    public double[] spectrum(List<double[]> embeddings) {
        return spectrum(similarities(embeddings), sparseKeep(embeddings.size()), CUT_AT_ZERO);
    }

    /** Neighbours each of {@code n} segments keeps in the speaker-count graph. */
    private int sparseKeep(int n) {
        return Math.max(2, (int) Math.round(keepFraction * n));
    }

    /** Every pair of segments' similarity, as the clustering compares them. */
    private static double[][] similarities(List<double[]> embeddings) {
        int n = embeddings.size();
        double[][] similarity = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                similarity[i][j] = AgglomerativeClustering.dot(embeddings.get(i), embeddings.get(j));
            }
        }
        return similarity;
    }

    /** Of the graph linking each segment to its {@code keep} most similar ones, each link weighted {@code weight}(cosine). */
    private static double[] spectrum(double[][] similarity, int keep, DoubleUnaryOperator weight) {
        int n = similarity.length;
        double[][] affinity = new double[n][n];
        for (int i = 0; i < n; i++) {
            double[] sorted = similarity[i].clone();
            Arrays.sort(sorted);
            double floor = sorted[n - keep];
            for (int j = 0; j < n; j++) {
                if (j != i && similarity[i][j] >= floor) {
                    affinity[i][j] = weight.applyAsDouble(similarity[i][j]);
                }
            }
        }
        double[] degree = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                degree[i] += (affinity[i][j] + affinity[j][i]) / 2;
            }
        }
        // The normalised Laplacian I - D^-1/2 A D^-1/2: its eigenvalues lie in [0, 2] whatever the recording's length.
        double[][] laplacian = new double[n][n];
        for (int i = 0; i < n; i++) {
            laplacian[i][i] = degree[i] > 0 ? 1 : 0;
            for (int j = 0; j < n; j++) {
                double a = (affinity[i][j] + affinity[j][i]) / 2;
                if (a > 0) {
                    laplacian[i][j] -= a / Math.sqrt(degree[i] * degree[j]);
                }
            }
        }
        double[] eigenvalues = new EigenDecomposition(new Array2DRowRealMatrix(laplacian, false)).getRealEigenvalues();
        Arrays.sort(eigenvalues);
        return eigenvalues;
    }

    private static int fewestWithANearlyWidestGap(double[] eigenvalues, int n, int min, int max) {
        int lowest = Math.max(1, min);
        int upper = Math.min(max, n - 1);
        double widest = 0;
        for (int k = lowest; k <= upper; k++) {
            widest = Math.max(widest, eigenvalues[k] - eigenvalues[k - 1]);
        }
        for (int k = lowest; k <= upper; k++) {
            if (eigenvalues[k] - eigenvalues[k - 1] >= NEARLY_WIDEST * widest) {
                return k;
            }
        }
        return lowest;
    }
}
