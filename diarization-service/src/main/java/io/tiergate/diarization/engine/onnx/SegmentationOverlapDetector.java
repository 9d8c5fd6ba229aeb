package io.tiergate.diarization.engine.onnx;

import ai.onnxruntime.OrtException;
import io.tiergate.diarization.engine.embedded.features.FeatureExtractor;
import io.tiergate.diarization.engine.embedded.overlap.OverlapDetector;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Overlapped speech found by an {@link OnnxSegmentationModel}, run over the window in chunks that overlap by
 * {@code chunk - step} samples: a frame is overlapped where the chunks' mean probability of a pair of local speakers
 * talking at once reaches the threshold. Who the second voice is comes from the same chunks: each local speaker is
 * matched with the window's speaker most of its solo frames went to, and of the pair the model hears on a frame, the
 * one that is not the frame's own speaker is the second.
 */
public final class SegmentationOverlapDetector implements OverlapDetector {

    /** Overlap shorter than this (100 ms) is a blip of the model, not two people talking. */
    private static final int SHORTEST_OVERLAP_FRAMES = 10;
    /** Solo frames (250 ms) a local speaker needs before it is matched with a speaker of the window. */
    private static final int FEWEST_MATCHING_FRAMES = 25;

    private final OnnxSegmentationModel model;
    private final int stepSamples;
    private final double threshold;

    /**
     * @param model       closed with this detector
     * @param stepSamples samples between the starts of two chunks, at most a chunk
     * @param threshold   the mean probability of overlapped speech from which a frame is overlapped
     */
    public SegmentationOverlapDetector(OnnxSegmentationModel model, int stepSamples, double threshold) {
        if (stepSamples < 1 || threshold <= 0 || threshold > 1) {
            throw new IllegalArgumentException("step " + stepSamples + " and threshold " + threshold
                    + ": the step must be at least a sample, the threshold in (0, 1]");
        }
        this.model = model;
        this.stepSamples = Math.min(stepSamples, model.chunkSamples());
        this.threshold = threshold;
    }

    @Override
    public int[] secondSpeakers(float[] samples, int[] labels) {
        int frames = labels.length;
        int speakers = Arrays.stream(labels).max().orElse(-1) + 1;
        double[] overlapSum = new double[frames];
        int[] looks = new int[frames];
        int[] second = new int[frames];
        double[] secondWeight = new double[frames];
        Arrays.fill(second, NONE);
        int chunk = model.chunkSamples();
        for (int start = 0; ; start += stepSamples) {
            int from = samples.length <= chunk ? 0 : Math.min(start, samples.length - chunk);
            float[][] probabilities;
            try {
                probabilities = model.classify(Arrays.copyOfRange(samples, from, Math.min(samples.length, from + chunk)));
            } catch (OrtException e) {
                throw new UncheckedIOException(new IOException("the speaker-segmentation model failed on a chunk: "
                        + e.getMessage(), e));
            }
            int[][] spans = frameSpans(from, samples.length, frames, probabilities.length);
            int[] matched = matchLocalSpeakers(probabilities, spans, labels, speakers);
            for (int i = 0; i < probabilities.length; i++) {
                double overlap = 0;
                int pair = -1;
                for (int c = 0; c < probabilities[i].length; c++) {
                    if (model.speakersOf(c).length == 2) {
                        overlap += probabilities[i][c];
                        pair = pair < 0 || probabilities[i][c] > probabilities[i][pair] ? c : pair;
                    }
                }
                for (int f = spans[i][0]; f < spans[i][1]; f++) {
                    overlapSum[f] += overlap;
                    looks[f]++;
                    int other = labels[f] < 0 || pair < 0 ? -1 : otherOfPair(model.speakersOf(pair), matched, labels[f]);
                    if (other >= 0 && overlap > secondWeight[f]) {
                        second[f] = other;
                        secondWeight[f] = overlap;
                    }
                }
            }
            if (from + chunk >= samples.length) {
                break;
            }
        }
        for (int f = 0; f < frames; f++) {
            boolean overlapped = labels[f] >= 0 && looks[f] > 0 && overlapSum[f] / looks[f] >= threshold;
            second[f] = !overlapped ? NONE : second[f] >= 0 ? second[f] : UNKNOWN;
        }
        dropBlips(second);
        return second;
    }

    /**
     * The window frames each of a chunk's model frames covers, {@code [first, end)}; empty for model frames past the
     * window's end (the padding of its last chunk).
     */
    private int[][] frameSpans(int from, int windowSamples, int frames, int modelFrames) {
        int[][] spans = new int[modelFrames][];
        double half = model.frameShift() / 2;
        for (int i = 0; i < modelFrames; i++) {
            double centre = from + model.frameCentre(i);
            if (centre >= windowSamples) {
                spans[i] = new int[] {0, 0};
                continue;
            }
            int first = (int) Math.max(0, Math.min(frames, Math.floor((centre - half) / FeatureExtractor.HOP + 0.5)));
            int end = (int) Math.max(first, Math.min(frames, Math.floor((centre + half) / FeatureExtractor.HOP + 0.5)));
            spans[i] = new int[] {first, end};
        }
        return spans;
    }

    /**
     * For each of the model's local speakers in a chunk, the window's speaker that most of its solo frames went to
     * (when they are most of them and at least {@link #FEWEST_MATCHING_FRAMES}), else -1.
     */
    private int[] matchLocalSpeakers(float[][] probabilities, int[][] spans, int[] labels, int speakers) {
        int locals = model.localSpeakers();
        int[][] counts = new int[locals][Math.max(1, speakers)];
        for (int i = 0; i < probabilities.length; i++) {
            int[] heard = model.speakersOf(argmax(probabilities[i]));
            if (heard.length != 1) {
                continue;
            }
            for (int f = spans[i][0]; f < spans[i][1]; f++) {
                if (labels[f] >= 0) {
                    counts[heard[0]][labels[f]]++;
                }
            }
        }
        int[] matched = new int[locals];
        for (int local = 0; local < locals; local++) {
            int best = argmax(counts[local]);
            int total = Arrays.stream(counts[local]).sum();
            matched[local] = counts[local][best] >= FEWEST_MATCHING_FRAMES && 2 * counts[local][best] > total ? best : -1;
        }
        return matched;
    }

    /** Of a pair of local speakers, the window's speaker of the one that is not {@code own}, when the other is. */
    private static int otherOfPair(int[] pair, int[] matched, int own) {
        int a = matched[pair[0]];
        int b = matched[pair[1]];
        if (a == own && b >= 0 && b != own) {
            return b;
        }
        return b == own && a >= 0 && a != own ? a : -1;
    }

    /** Overlap shorter than {@link #SHORTEST_OVERLAP_FRAMES} is taken out. */
    private static void dropBlips(int[] second) {
        for (int f = 0; f < second.length; ) {
            int g = f;
            while (g < second.length && (second[g] == NONE) == (second[f] == NONE)) {
                g++;
            }
            if (second[f] != NONE && g - f < SHORTEST_OVERLAP_FRAMES) {
                Arrays.fill(second, f, g, NONE);
            }
            f = g;
        }
    }

    private static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            best = values[i] > values[best] ? i : best;
        }
        return best;
    }

    private static int argmax(int[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            best = values[i] > values[best] ? i : best;
        }
        return best;
    }

    @Override
    public String describe() {
        return "the speaker-segmentation model " + model.describe() + ", a chunk every "
                + stepSamples / (double) FeatureExtractor.SAMPLE_RATE + " s, overlap from probability " + threshold;
    }

    @Override
    public void close() {
        model.close();
    }
}
