package io.tiergate.diarization.engine.embedded;

import io.tiergate.audio.SampleSource;
import io.tiergate.audio.vad.SpeechRegion;
import io.tiergate.audio.vad.VadSettings;
import io.tiergate.audio.vad.VoiceActivityModel;
import io.tiergate.diarization.engine.Diarization;
import io.tiergate.diarization.engine.DiarizationEngine;
import io.tiergate.diarization.engine.SpeakerCountHint;
import io.tiergate.diarization.engine.SpeakerTurn;
import io.tiergate.diarization.engine.embedded.clustering.AgglomerativeClustering;
import io.tiergate.diarization.engine.embedded.clustering.EigengapCountEstimator;
import io.tiergate.diarization.engine.embedded.embeddings.SpeakerEmbedder;
import io.tiergate.diarization.engine.embedded.embeddings.StatisticsEmbedder;
import io.tiergate.diarization.engine.embedded.embeddings.SupervectorEmbedder;
import io.tiergate.diarization.engine.embedded.features.FeatureExtractor;
import io.tiergate.diarization.engine.embedded.features.FrameNormalizer;
import io.tiergate.diarization.engine.embedded.resegmentation.ViterbiResegmenter;
import io.tiergate.diarization.engine.embedded.segmentation.ChangeDetector;
import io.tiergate.diarization.engine.embedded.segmentation.Segment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The pure-Java, CPU-only engine that needs nothing downloaded: Silero VAD speech regions, MFCCs, speaker-change
 * segmentation, a GMM-supervector embedding per segment, agglomerative clustering into the number of speakers the caller
 * gives or the segments' affinity graph suggests (its eigengap), and a Viterbi resegmentation with a Gaussian mixture
 * per speaker. Overlapped speech is not detected: each frame goes to one speaker.
 */
public final class EmbeddedEngine implements DiarizationEngine {

    public static final String NAME = "embedded";

    /**
     * The speech regions this engine was tuned with: Silero's thresholds lowered (0.2 and 0.05, not 0.5 and 0.35) and
     * its regions widened by 200 ms, because quiet far-field speech (the AMI meeting clip peaks at -21 dBFS) is
     * otherwise missed in stretches, and a missed second counts against DER as much as a misattributed one.
     */
    public static final VadSettings VAD_SETTINGS = new VadSettings(0.2, 0.05, Duration.ofMillis(250),
            Duration.ofMillis(300), Duration.ofMillis(200));

    private final VoiceActivityModel vad;
    private final VadSettings vadSettings;
    private final EmbeddedSettings settings;
    private final FeatureExtractor features;

    public EmbeddedEngine(VoiceActivityModel vad, VadSettings vadSettings, EmbeddedSettings settings) {
        this.vad = vad;
        this.vadSettings = vadSettings;
        this.settings = settings;
        this.features = new FeatureExtractor(settings.mels(), settings.ceps());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public boolean reportsOverlap() {
        return false;
    }

    @Override
    public Diarization diarize(float[] samples, SpeakerCountHint hint) {
        double duration = samples.length / (double) FeatureExtractor.SAMPLE_RATE;
        List<Segment> regions = speechRegions(samples);
        double[][] frames = features.mfcc(samples);
        if (regions.isEmpty() || frames.length == 0) {
            return new Diarization(duration, List.of(), List.of());
        }
        boolean[] speech = new boolean[frames.length];
        for (Segment region : regions) {
            java.util.Arrays.fill(speech, region.start(), region.end(), true);
        }
        FrameNormalizer.normalize(frames, speech);

        ChangeDetector changes = new ChangeDetector(frames(settings.changeWindowSeconds()), 10,
                settings.changeThreshold(), frames(settings.minSegmentSeconds()), frames(settings.maxSegmentSeconds()));
        List<Segment> segments = changes.segment(frames, regions);
        SpeakerEmbedder embedder = settings.supervectorComponents() > 0
                ? new SupervectorEmbedder(settings.supervectorComponents(), 16, 1, 10)
                : new StatisticsEmbedder(1);
        List<double[]> embeddings = embedder.embed(frames, segments);
        double[] weights = segments.stream().mapToDouble(Segment::length).toArray();
        int min = Math.min(hint.lowest(settings.minSpeakers()), segments.size());
        int max = Math.min(hint.highest(settings.maxSpeakers()), segments.size());
        int count = min == max ? min
                : new EigengapCountEstimator(settings.graphKeepFraction()).estimate(embeddings, min, max);
        int[] segmentLabels = AgglomerativeClustering.cluster(embeddings, weights, count);
        int speakers = java.util.Arrays.stream(segmentLabels).max().orElse(-1) + 1;

        int[] labels = new int[frames.length];
        java.util.Arrays.fill(labels, -1);
        for (int i = 0; i < segments.size(); i++) {
            java.util.Arrays.fill(labels, segments.get(i).start(), segments.get(i).end(), segmentLabels[i]);
        }
        if (settings.resegmentRounds() > 0 && speakers > 1) {
            labels = new ViterbiResegmenter(settings.gmmComponents(), 5, settings.resegmentRounds(),
                    settings.switchPenalty(), 1).resegment(frames, labels, speakers);
        }
        return new Diarization(duration, turns(labels, duration), List.of());
    }

    /** Speech regions in frames. */
    private List<Segment> speechRegions(float[] samples) {
        List<SpeechRegion> regions;
        try {
            regions = vad.speechRegions(new ArraySource(samples), vadSettings);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int total = FeatureExtractor.frameCount(samples.length);
        List<Segment> out = new ArrayList<>();
        for (SpeechRegion region : regions) {
            int start = Math.min(total, (int) (region.startSample() / FeatureExtractor.HOP));
            int end = Math.min(total, (int) (region.endSample() / FeatureExtractor.HOP));
            if (end > start) {
                out.add(new Segment(start, end));
            }
        }
        return out;
    }

    /** Turns from frame labels; turns shorter than the minimum are absorbed by the turn before (or after). */
    private List<SpeakerTurn> turns(int[] labels, double duration) {
        List<int[]> runs = new ArrayList<>();
        for (int f = 0; f < labels.length; ) {
            int g = f;
            while (g < labels.length && labels[g] == labels[f]) {
                g++;
            }
            if (labels[f] >= 0) {
                runs.add(new int[] {labels[f], f, g});
            }
            f = g;
        }
        int minFrames = frames(settings.minTurnSeconds());
        for (int i = 0; i < runs.size(); i++) {
            int[] run = runs.get(i);
            if (run[2] - run[1] < minFrames) {
                int[] neighbour = i > 0 && runs.get(i - 1)[2] == run[1] ? runs.get(i - 1)
                        : i + 1 < runs.size() && runs.get(i + 1)[1] == run[2] ? runs.get(i + 1) : null;
                if (neighbour != null) {
                    run[0] = neighbour[0];
                }
            }
        }
        int[] numbers = AgglomerativeClustering.renumber(runs.stream().mapToInt(r -> r[0]).toArray());
        List<SpeakerTurn> turns = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            int[] run = runs.get(i);
            double start = run[1] * FeatureExtractor.HOP / (double) FeatureExtractor.SAMPLE_RATE;
            double end = Math.min(duration, run[2] * FeatureExtractor.HOP / (double) FeatureExtractor.SAMPLE_RATE);
            String speaker = "SPEAKER_%02d".formatted(numbers[i]);
            SpeakerTurn last = turns.isEmpty() ? null : turns.get(turns.size() - 1);
            if (last != null && last.speaker().equals(speaker) && start - last.end() < 1e-6) {
                turns.set(turns.size() - 1, new SpeakerTurn(speaker, last.start(), end));
            } else {
                turns.add(new SpeakerTurn(speaker, start, end));
            }
        }
        return turns;
    }

    private static int frames(double seconds) {
        return (int) Math.round(seconds * FeatureExtractor.FRAMES_PER_SECOND);
    }

    /** Samples already in memory, read as the VAD reads a stream. */
    private static final class ArraySource implements SampleSource {

        private final float[] samples;
        private int position;

        ArraySource(float[] samples) {
            this.samples = samples;
        }

        @Override
        public int read(float[] into, int offset, int length) {
            if (position >= samples.length) {
                return -1;
            }
            int count = Math.min(length, samples.length - position);
            System.arraycopy(samples, position, into, offset, count);
            position += count;
            return count;
        }
    }
}
