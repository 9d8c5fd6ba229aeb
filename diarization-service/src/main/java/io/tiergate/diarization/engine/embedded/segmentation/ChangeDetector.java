package io.tiergate.diarization.engine.embedded.segmentation;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts speech regions where the speaker seems to change, then into pieces short enough to hold one speaker each.
 *
 * <p>A change is a peak of the distance between the diagonal Gaussians of the frames just before and just after a
 * point (a symmetric Kullback-Leibler divergence, as in the classic distance-based segmentation): within one speaker
 * the two sides look alike, across a change they do not. Peaks count when they stand out of the recording's own
 * distances (above its mean by {@code threshold} standard deviations), so the detector needs no per-channel tuning.
 *
 * @param window    frames each side of a candidate point
 * @param step      frames between candidate points
 * @param threshold how many standard deviations above the mean distance a peak must be
 * @param minLength the shortest segment a cut may leave, in frames
 * @param maxLength the longest segment kept whole, in frames; longer ones are split evenly
 */
public record ChangeDetector(int window, int step, double threshold, int minLength, int maxLength) {

    /** Segments of the speech regions {@code [starts[i], ends[i])}, in frames, in order. */
    public List<Segment> segment(double[][] frames, List<Segment> regions) {
        List<double[]> candidates = new ArrayList<>();
        for (Segment region : regions) {
            for (int t = region.start() + window; t + window <= region.end(); t += step) {
                candidates.add(new double[] {t, distance(frames, t - window, t, t + window)});
            }
        }
        double mean = 0;
        double squares = 0;
        for (double[] c : candidates) {
            mean += c[1];
            squares += c[1] * c[1];
        }
        double cut = Double.POSITIVE_INFINITY;
        if (!candidates.isEmpty()) {
            mean /= candidates.size();
            cut = mean + threshold * Math.sqrt(Math.max(squares / candidates.size() - mean * mean, 0));
        }
        List<Segment> segments = new ArrayList<>();
        int next = 0;
        for (Segment region : regions) {
            List<Integer> cuts = new ArrayList<>();
            int from = next;
            while (next < candidates.size() && candidates.get(next)[0] < region.end()) {
                next++;
            }
            for (int i = from; i < next; i++) {
                double d = candidates.get(i)[1];
                boolean peak = (i == from || candidates.get(i - 1)[1] <= d) && (i + 1 == next || candidates.get(i + 1)[1] < d);
                int t = (int) candidates.get(i)[0];
                if (peak && d > cut && t - lastCut(cuts, region) >= minLength && region.end() - t >= minLength) {
                    cuts.add(t);
                }
            }
            int start = region.start();
            for (int c : cuts) {
                split(start, c, segments);
                start = c;
            }
            split(start, region.end(), segments);
        }
        return segments;
    }

    private static int lastCut(List<Integer> cuts, Segment region) {
        return cuts.isEmpty() ? region.start() : cuts.get(cuts.size() - 1);
    }

    private void split(int start, int end, List<Segment> into) {
        int pieces = Math.max(1, (int) Math.ceil((end - start) / (double) maxLength));
        for (int p = 0; p < pieces; p++) {
            into.add(new Segment(start + (int) ((long) (end - start) * p / pieces),
                    start + (int) ((long) (end - start) * (p + 1) / pieces)));
        }
    }

    /** Symmetric KL divergence between diagonal Gaussians of frames [a, b) and [b, c). */
    static double distance(double[][] frames, int a, int b, int c) {
        int dims = frames[0].length;
        double total = 0;
        for (int d = 0; d < dims; d++) {
            double[] left = moments(frames, a, b, d);
            double[] right = moments(frames, b, c, d);
            double diff = left[0] - right[0];
            total += 0.5 * (left[1] / right[1] + right[1] / left[1] - 2)
                    + 0.5 * diff * diff * (1 / left[1] + 1 / right[1]);
        }
        return total;
    }

    private static double[] moments(double[][] frames, int from, int to, int d) {
        double sum = 0;
        double squares = 0;
        for (int f = from; f < to; f++) {
            sum += frames[f][d];
            squares += frames[f][d] * frames[f][d];
        }
        int n = to - from;
        double mean = sum / n;
        return new double[] {mean, Math.max(squares / n - mean * mean, 1e-4)};
    }
}
