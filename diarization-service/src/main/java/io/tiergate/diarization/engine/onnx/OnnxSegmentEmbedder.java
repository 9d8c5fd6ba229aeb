package io.tiergate.diarization.engine.onnx;

import ai.onnxruntime.OrtException;
import io.tiergate.diarization.engine.embedded.embeddings.StatisticsEmbedder;
import io.tiergate.diarization.engine.embedded.embeddings.WindowEmbedder;
import io.tiergate.diarization.engine.embedded.features.FeatureExtractor;
import io.tiergate.diarization.engine.embedded.segmentation.Segment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Speaker embeddings from an {@link OnnxSpeakerModel}: each segment's Kaldi-style log-mel filterbanks, computed from its
 * samples and mean-normalised over the segment (as WeSpeaker, 3D-Speaker and pyannote compute them before their models),
 * go through the model; {@code slots} segments are embedded at once.
 */
public final class OnnxSegmentEmbedder implements WindowEmbedder {

    /** Kaldi's default top filter edge: the Nyquist frequency of 16 kHz audio. */
    private static final double KALDI_HIGH_HZ = FeatureExtractor.SAMPLE_RATE / 2.0;

    private final OnnxSpeakerModel model;
    private final FeatureExtractor filterbanks;
    private final ExecutorService workers;
    private final int slots;

    /**
     * @param model  closed with this embedder
     * @param window the window the model's filterbanks were trained with
     * @param slots  segments embedded at once
     */
    public OnnxSegmentEmbedder(OnnxSpeakerModel model, FeatureExtractor.Window window, int slots) {
        this.model = model;
        this.filterbanks = new FeatureExtractor(model.mels(), 1, KALDI_HIGH_HZ, window);
        this.slots = slots;
        this.workers = Executors.newFixedThreadPool(slots, runnable -> {
            Thread thread = new Thread(runnable, "diarization-embedding");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public List<double[]> embed(float[] samples, double[][] frames, List<Segment> segments) {
        List<Callable<double[]>> tasks = new ArrayList<>(segments.size());
        for (Segment segment : segments) {
            tasks.add(() -> embed(samples, segment));
        }
        List<double[]> embeddings = new ArrayList<>(segments.size());
        try {
            for (Future<double[]> embedding : workers.invokeAll(tasks)) {
                embeddings.add(embedding.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted while embedding segments", e));
        } catch (ExecutionException e) {
            throw new UncheckedIOException(new IOException("the speaker-embedding model failed on a segment: "
                    + e.getCause().getMessage(), e.getCause()));
        }
        return embeddings;
    }

    /** One segment's unit-length embedding. */
    double[] embed(float[] samples, Segment segment) throws OrtException {
        int from = segment.start() * FeatureExtractor.HOP;
        int to = Math.min(samples.length, (segment.end() - 1) * FeatureExtractor.HOP + FeatureExtractor.FRAME);
        double[][] logMel = filterbanks.logMel(Arrays.copyOfRange(samples, from, Math.max(from, to)));
        float[][] input = meanNormalised(logMel);
        float[] embedding = input.length == 0 ? new float[model.dimension()] : model.embed(input);
        double[] out = new double[embedding.length];
        for (int d = 0; d < out.length; d++) {
            out[d] = embedding[d];
        }
        StatisticsEmbedder.unitLength(out);
        return out;
    }

    /** The frames less their mean, as floats: the channel taken out, as the models were trained. */
    static float[][] meanNormalised(double[][] frames) {
        if (frames.length == 0) {
            return new float[0][];
        }
        int dims = frames[0].length;
        double[] mean = new double[dims];
        for (double[] frame : frames) {
            for (int d = 0; d < dims; d++) {
                mean[d] += frame[d] / frames.length;
            }
        }
        float[][] out = new float[frames.length][dims];
        for (int f = 0; f < frames.length; f++) {
            for (int d = 0; d < dims; d++) {
                out[f][d] = (float) (frames[f][d] - mean[d]);
            }
        }
        return out;
    }

    @Override
    public String describe() {
        return model.describe() + ", " + slots + (slots == 1 ? " slot" : " slots");
    }

    @Override
    public void close() {
        workers.shutdownNow();
        model.close();
    }
}
