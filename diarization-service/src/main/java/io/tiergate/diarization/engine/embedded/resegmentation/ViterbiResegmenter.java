package io.tiergate.diarization.engine.embedded.resegmentation;

import io.tiergate.diarization.engine.embedded.gmm.DiagonalGmm;

/**
 * Refines a frame-level speaker labelling: a Gaussian mixture is fitted to each speaker's frames, and the frames are
 * relabelled by the best path through the speakers (Viterbi), each switch of speaker costing {@code switchPenalty} in
 * log-likelihood so that a turn changes only where the evidence for the other speaker outweighs it. Repeated
 * {@code iterations} times, as the models improve with the labelling. Finds change points at frame resolution that
 * segment-level clustering places only to within a segment.
 *
 * @param components    Gaussians per speaker model
 * @param emIterations  EM iterations per fit
 * @param iterations    fit-and-relabel rounds
 * @param switchPenalty the log-likelihood a change of speaker costs
 * @param firstDim      the first feature dimension the models see
 */
public record ViterbiResegmenter(int components, int emIterations, int iterations, double switchPenalty,
                                 int firstDim) {

    /**
     * New labels for the frames; {@code labels[f] < 0} marks a frame without speech, which keeps its label and is
     * skipped by the path (a pause does not cost a switch).
     *
     * @param speakers how many speakers the labels number ({@code 0..speakers-1})
     */
    public int[] resegment(double[][] frames, int[] labels, int speakers) {
        int[] current = labels.clone();
        for (int round = 0; round < iterations; round++) {
            DiagonalGmm[] models = new DiagonalGmm[speakers];
            for (int s = 0; s < speakers; s++) {
                int[] rows = rowsOf(current, s);
                models[s] = rows.length == 0 ? null : DiagonalGmm.fit(frames, rows, firstDim, components, emIterations);
            }
            int[] next = viterbi(frames, current, models);
            if (java.util.Arrays.equals(next, current)) {
                break;
            }
            current = next;
        }
        return current;
    }

    private int[] viterbi(double[][] frames, int[] labels, DiagonalGmm[] models) {
        int speakers = models.length;
        int[] speech = speechFrames(labels);
        int n = speech.length;
        int[] out = labels.clone();
        if (n == 0) {
            return out;
        }
        double[] score = new double[speakers];
        byte[][] from = new byte[n][speakers];
        double[] likelihood = new double[speakers];
        for (int i = 0; i < n; i++) {
            double[] frame = frames[speech[i]];
            for (int s = 0; s < speakers; s++) {
                likelihood[s] = models[s] == null ? Double.NEGATIVE_INFINITY : models[s].logLikelihood(frame, firstDim);
            }
            if (i == 0) {
                System.arraycopy(likelihood, 0, score, 0, speakers);
                continue;
            }
            int best = argmax(score);
            double[] next = new double[speakers];
            for (int s = 0; s < speakers; s++) {
                double stay = score[s];
                double move = score[best] - switchPenalty;
                if (stay >= move || best == s) {
                    next[s] = stay + likelihood[s];
                    from[i][s] = (byte) s;
                } else {
                    next[s] = move + likelihood[s];
                    from[i][s] = (byte) best;
                }
            }
            score = next;
        }
        int state = argmax(score);
        for (int i = n - 1; i >= 0; i--) {
            out[speech[i]] = state;
            state = from[i][state];
        }
        return out;
    }

    private static int[] speechFrames(int[] labels) {
        return java.util.stream.IntStream.range(0, labels.length).filter(f -> labels[f] >= 0).toArray();
    }

    private static int[] rowsOf(int[] labels, int speaker) {
        return java.util.stream.IntStream.range(0, labels.length).filter(f -> labels[f] == speaker).toArray();
    }

    private static int argmax(double[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }
}
