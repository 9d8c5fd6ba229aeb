package io.tiergate.diarization.engine.embedded.embeddings;

import io.tiergate.diarization.engine.embedded.segmentation.Segment;
import java.util.ArrayList;
import java.util.List;

/**
 * A speaker embedding per segment from its frames' statistics: the mean and standard deviation of each feature
 * dimension. Weaker than {@link SupervectorEmbedder} by measured DER; kept as the cheaper choice. The embeddings of one recording are then standardised dimension by
 * dimension across its segments, so that each dimension weighs by how much it varies between segments, not by its
 * scale, and scaled to unit length for cosine scoring.
 *
 * @param firstDim      the first feature dimension used (1 skips c0, which follows loudness more than the voice)
 */
public record StatisticsEmbedder(int firstDim) implements SpeakerEmbedder {

    @Override
    public List<double[]> embed(double[][] frames, List<Segment> segments) {
        List<double[]> raw = new ArrayList<>(segments.size());
        for (Segment segment : segments) {
            raw.add(statistics(frames, segment));
        }
        standardize(raw);
        raw.forEach(StatisticsEmbedder::unitLength);
        return raw;
    }

    /** The raw statistics of one segment, before standardising. */
    public double[] statistics(double[][] frames, Segment segment) {
        return statistics(frames, java.util.stream.IntStream.range(segment.start(), segment.end()).toArray());
    }

    /** The raw statistics of the frames {@code rows}, before standardising. */
    public double[] statistics(double[][] frames, int[] rows) {
        int dims = frames[0].length - firstDim;
        double[] out = new double[2 * dims];
        int n = rows.length;
        for (int f : rows) {
            for (int d = 0; d < dims; d++) {
                double x = frames[f][firstDim + d];
                out[d] += x;
                out[dims + d] += x * x;
            }
        }
        for (int d = 0; d < dims; d++) {
            out[d] /= n;
            out[dims + d] = Math.sqrt(Math.max(out[dims + d] / n - out[d] * out[d], 0));
        }
        return out;
    }

    public static void standardize(List<double[]> vectors) {
        if (vectors.size() < 2) {
            return;
        }
        int dims = vectors.get(0).length;
        for (int d = 0; d < dims; d++) {
            double sum = 0;
            double squares = 0;
            for (double[] v : vectors) {
                sum += v[d];
                squares += v[d] * v[d];
            }
            double mean = sum / vectors.size();
            double std = Math.sqrt(Math.max(squares / vectors.size() - mean * mean, 1e-12));
            for (double[] v : vectors) {
                v[d] = (v[d] - mean) / std;
            }
        }
    }

    public static void unitLength(double[] v) {
        double norm = 0;
        for (double x : v) {
            norm += x * x;
        }
        norm = Math.sqrt(norm);
        if (norm > 0) {
            for (int i = 0; i < v.length; i++) {
                v[i] /= norm;
            }
        }
    }
}
