package io.tiergate.diarization.engine.embedded.embeddings;

import io.tiergate.diarization.engine.embedded.gmm.DiagonalGmm;
import io.tiergate.diarization.engine.embedded.segmentation.Segment;
import java.util.ArrayList;
import java.util.List;

/**
 * GMM mean supervectors: a background mixture is fitted to all of the recording's speech, each segment's frames shift
 * its means by maximum-a-posteriori adaptation, and the shifts, scaled by each component's deviation and the root of its
 * weight (the KL-divergence kernel of Campbell et al.), make the embedding. Unlike the mean of the frames, this compares
 * two segments sound by sound (a component stands roughly for a class of phones), so what is said matters less than
 * who says it. The background model comes from the recording itself, so nothing is downloaded or trained beforehand.
 *
 * @param components  Gaussians in the background model
 * @param relevance   the MAP relevance factor: how many frames a component needs before its adapted mean is more the
 *                    segment's than the background's
 * @param firstDim    the first feature dimension used (1 skips c0, which follows loudness more than the voice)
 * @param emIterations EM iterations fitting the background model
 */
public record SupervectorEmbedder(int components, double relevance, int firstDim, int emIterations)
        implements SpeakerEmbedder {

    @Override
    public List<double[]> embed(double[][] frames, List<Segment> segments) {
        int total = segments.stream().mapToInt(Segment::length).sum();
        int[] rows = new int[total];
        int next = 0;
        for (Segment segment : segments) {
            for (int f = segment.start(); f < segment.end(); f++) {
                rows[next++] = f;
            }
        }
        DiagonalGmm background = DiagonalGmm.fit(frames, rows, firstDim, components, emIterations);
        int k = background.components();
        int dims = frames[0].length - firstDim;
        double[][] means = new double[k][];
        double[][] scales = new double[k][dims];
        for (int c = 0; c < k; c++) {
            means[c] = background.mean(c);
            double[] variance = background.variance(c);
            for (int d = 0; d < dims; d++) {
                scales[c][d] = Math.sqrt(background.weight(c) / variance[d]);
            }
        }
        List<double[]> out = new ArrayList<>(segments.size());
        double[] posterior = new double[k];
        for (Segment segment : segments) {
            double[] counts = new double[k];
            double[][] sums = new double[k][dims];
            for (int f = segment.start(); f < segment.end(); f++) {
                background.posteriors(frames[f], firstDim, posterior);
                for (int c = 0; c < k; c++) {
                    counts[c] += posterior[c];
                    for (int d = 0; d < dims; d++) {
                        sums[c][d] += posterior[c] * frames[f][firstDim + d];
                    }
                }
            }
            double[] supervector = new double[k * dims];
            for (int c = 0; c < k; c++) {
                // The adapted mean minus the background mean: alpha * (segment mean - background mean).
                double alpha = counts[c] / (counts[c] + relevance);
                for (int d = 0; d < dims; d++) {
                    double segmentMean = counts[c] > 0 ? sums[c][d] / counts[c] : means[c][d];
                    supervector[c * dims + d] = alpha * (segmentMean - means[c][d]) * scales[c][d];
                }
            }
            out.add(supervector);
        }
        centre(out);
        out.forEach(StatisticsEmbedder::unitLength);
        return out;
    }

    /** Takes out what all segments share (the recording, more than any speaker). */
    private static void centre(List<double[]> vectors) {
        if (vectors.size() < 2) {
            return;
        }
        double[] mean = new double[vectors.get(0).length];
        for (double[] v : vectors) {
            for (int i = 0; i < mean.length; i++) {
                mean[i] += v[i] / vectors.size();
            }
        }
        for (double[] v : vectors) {
            for (int i = 0; i < mean.length; i++) {
                v[i] -= mean[i];
            }
        }
    }
}
