package io.tiergate.diarization.bench;

import io.tiergate.audio.testing.TestAssets;
import io.tiergate.audio.vad.SileroVad;
import io.tiergate.audio.vad.SpeechRegion;
import io.tiergate.diarization.engine.SamplesInMemory;
import io.tiergate.diarization.engine.embedded.EmbeddedEngine;
import io.tiergate.diarization.engine.embedded.EmbeddedSettings;
import io.tiergate.diarization.engine.embedded.clustering.AgglomerativeClustering;
import io.tiergate.diarization.engine.embedded.clustering.EigengapCountEstimator;
import io.tiergate.diarization.engine.embedded.embeddings.StatisticsEmbedder;
import io.tiergate.diarization.engine.embedded.embeddings.SupervectorEmbedder;
import io.tiergate.diarization.engine.embedded.features.FeatureExtractor;
import io.tiergate.diarization.engine.embedded.features.FrameNormalizer;
import io.tiergate.diarization.engine.embedded.segmentation.ChangeDetector;
import io.tiergate.diarization.engine.embedded.segmentation.Segment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Development tool: how well a recording's segment embeddings separate its reference speakers, before any clustering.
 * Arguments: {@code <wav> ...}, each with {@code <name>.rttm} beside it. Prints per recording the segments' pair AUC
 * (same-speaker pairs against different-speaker pairs, by cosine, over segments at least 80% one speaker), the first
 * eigenvalues of the speaker-count graph and the eigengap count, and the share of segment frames that agglomerative
 * clustering into the true count puts with the wrong speaker. Settings as {@link DiarizationBench} reads them.
 */
public final class EmbeddingDiagnostics {

    public static void main(String[] args) throws Exception {
        EmbeddedSettings settings = DiarizationBench.settingsFromProperties();
        try (SileroVad vad = SileroVad.load(TestAssets.path("vad/silero_vad.onnx"))) {
            for (String arg : args) {
                Path wav = Path.of(arg);
                float[] samples = TestAssets.samples(wav);
                List<String[]> reference = Files.readAllLines(Path.of(arg.replaceFirst("\\.wav$", ".rttm"))).stream()
                        .map(l -> l.trim().split("\\s+")).filter(f -> f.length > 7 && f[0].equals("SPEAKER")).toList();
                double[][] frames = new FeatureExtractor(settings.mels(), settings.ceps()).mfcc(samples);
                List<Segment> regions = new ArrayList<>();
                for (SpeechRegion r : vad.speechRegions(new SamplesInMemory(samples), EmbeddedEngine.VAD_SETTINGS)) {
                    int s = (int) Math.min(frames.length, r.startSample() / FeatureExtractor.HOP);
                    int e = (int) Math.min(frames.length, r.endSample() / FeatureExtractor.HOP);
                    if (e > s) {
                        regions.add(new Segment(s, e));
                    }
                }
                boolean[] speech = new boolean[frames.length];
                regions.forEach(r -> Arrays.fill(speech, r.start(), r.end(), true));
                FrameNormalizer.normalize(frames, speech);
                int fps = (int) FeatureExtractor.FRAMES_PER_SECOND;
                List<Segment> segments = new ChangeDetector((int) Math.round(settings.changeWindowSeconds() * fps), 10,
                        settings.changeThreshold(), (int) Math.round(settings.minSegmentSeconds() * fps),
                        (int) Math.round(settings.maxSegmentSeconds() * fps)).segment(frames, regions);
                List<double[]> embeddings = settings.supervectorComponents() > 0
                        ? new SupervectorEmbedder(settings.supervectorComponents(), 16, 1, 10).embed(frames, segments)
                        : new StatisticsEmbedder(1).embed(frames, segments);
                // Reference speaker per frame (-1 none, -2 overlap).
                Map<String, Integer> ids = new HashMap<>();
                int[] truth = new int[frames.length];
                Arrays.fill(truth, -1);
                for (String[] f : reference) {
                    int id = ids.computeIfAbsent(f[7], k -> ids.size());
                    int s = (int) Math.round(Double.parseDouble(f[3]) * fps);
                    int e = Math.min(frames.length, (int) Math.round((Double.parseDouble(f[3]) + Double.parseDouble(f[4])) * fps));
                    for (int t = s; t < e; t++) {
                        truth[t] = truth[t] == -1 ? id : -2;
                    }
                }
                int k = ids.size();
                int[] segTruth = new int[segments.size()];
                double[] purity = new double[segments.size()];
                for (int i = 0; i < segments.size(); i++) {
                    int[] counts = new int[k];
                    for (int t = segments.get(i).start(); t < segments.get(i).end(); t++) {
                        if (truth[t] >= 0) {
                            counts[truth[t]]++;
                        }
                    }
                    int best = 0;
                    for (int c = 1; c < k; c++) {
                        best = counts[c] > counts[best] ? c : best;
                    }
                    segTruth[i] = best;
                    purity[i] = counts[best] / (double) segments.get(i).length();
                }
                // Pair AUC over pure segments.
                List<Double> same = new ArrayList<>();
                List<Double> diff = new ArrayList<>();
                for (int i = 0; i < segments.size(); i++) {
                    for (int j = i + 1; j < segments.size(); j++) {
                        if (purity[i] >= 0.8 && purity[j] >= 0.8) {
                            double sim = dot(embeddings.get(i), embeddings.get(j));
                            (segTruth[i] == segTruth[j] ? same : diff).add(sim);
                        }
                    }
                }
                double[] d = diff.stream().mapToDouble(Double::doubleValue).sorted().toArray();
                double auc = 0;
                for (double s : same) {
                    int below = lowerBound(d, s);
                    auc += below;
                }
                auc /= Math.max(1, (double) same.size() * d.length);
                double[] weights = segments.stream().mapToDouble(Segment::length).toArray();
                int estimated = new EigengapCountEstimator(settings.graphKeepFraction()).estimate(embeddings,
                        settings.minSpeakers(), Math.min(settings.maxSpeakers(), segments.size()));
                int[] oracle = AgglomerativeClustering.cluster(embeddings, weights, k);
                double[] spectrum = new EigengapCountEstimator(settings.graphKeepFraction()).spectrum(embeddings);
                StringBuilder ev = new StringBuilder();
                for (int e = 0; e < Math.min(10, spectrum.length); e++) {
                    ev.append(String.format(Locale.ROOT, " %.3f", spectrum[e]));
                }
                System.out.printf(Locale.ROOT, " eig%s |", ev);
                System.out.printf(Locale.ROOT,
                        "%s: %d speakers, %d segments, pair AUC %.4f (same %.3f diff %.3f), eigengap %d,"
                                + " oracle-count segment error %.4f%n",
                        wav.getFileName(), k, segments.size(), auc,
                        same.stream().mapToDouble(x -> x).average().orElse(0),
                        diff.stream().mapToDouble(x -> x).average().orElse(0), estimated,
                        segmentError(oracle, segTruth, weights, k));
            }
        }
    }

    /** Weighted share of segments whose cluster is not mapped (greedily, by overlap) to their true speaker. */
    static double segmentError(int[] labels, int[] truth, double[] weights, int k) {
        int clusters = Arrays.stream(labels).max().orElse(-1) + 1;
        double[][] overlap = new double[clusters][k];
        double total = 0;
        for (int i = 0; i < labels.length; i++) {
            overlap[labels[i]][truth[i]] += weights[i];
            total += weights[i];
        }
        double right = 0;
        boolean[] usedC = new boolean[clusters];
        boolean[] usedT = new boolean[k];
        for (int round = 0; round < Math.min(clusters, k); round++) {
            int bc = -1;
            int bt = -1;
            for (int c = 0; c < clusters; c++) {
                for (int t = 0; t < k; t++) {
                    if (!usedC[c] && !usedT[t] && (bc < 0 || overlap[c][t] > overlap[bc][bt])) {
                        bc = c;
                        bt = t;
                    }
                }
            }
            usedC[bc] = true;
            usedT[bt] = true;
            right += overlap[bc][bt];
        }
        return 1 - right / total;
    }

    private static int lowerBound(double[] sorted, double value) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
