package io.tiergate.diarization.engine.embedded;

import io.tiergate.audio.SampleSource;
import io.tiergate.audio.vad.SpeechRegion;
import io.tiergate.audio.vad.VadSettings;
import io.tiergate.audio.vad.VoiceActivityModel;
import io.tiergate.diarization.engine.DiarizedRecording;
import io.tiergate.diarization.engine.DiarizationEngine;
import io.tiergate.diarization.engine.SamplesInMemory;
import io.tiergate.diarization.engine.SpeakerCountHint;
import io.tiergate.diarization.engine.TimeSpan;
import io.tiergate.common.diarization.SpeakerTurn;
import io.tiergate.diarization.engine.embedded.clustering.AgglomerativeClustering;
import io.tiergate.diarization.engine.embedded.clustering.EigengapCountEstimator;
import io.tiergate.diarization.engine.embedded.clustering.WindowLinker;
import io.tiergate.diarization.engine.embedded.embeddings.SpeakerEmbedder;
import io.tiergate.diarization.engine.embedded.embeddings.StatisticsEmbedder;
import io.tiergate.diarization.engine.embedded.embeddings.SupervectorEmbedder;
import io.tiergate.diarization.engine.embedded.embeddings.UnlikeVoicesEmbedder;
import io.tiergate.diarization.engine.embedded.embeddings.WindowEmbedder;
import io.tiergate.diarization.engine.embedded.features.FeatureExtractor;
import io.tiergate.diarization.engine.embedded.features.FrameNormalizer;
import io.tiergate.diarization.engine.embedded.overlap.OverlapDetector;
import io.tiergate.diarization.engine.embedded.resegmentation.ViterbiResegmenter;
import io.tiergate.diarization.engine.embedded.segmentation.ChangeDetector;
import io.tiergate.diarization.engine.embedded.segmentation.Segment;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The pure-Java, CPU-only engine that needs nothing downloaded: Silero VAD speech regions, MFCCs, speaker-change
 * segmentation, a GMM-supervector embedding per segment, agglomerative clustering into the number of speakers the caller
 * gives or the segments' affinity graph suggests (its eigengap), and a Viterbi resegmentation with a Gaussian mixture
 * per speaker. Each frame goes to one speaker, unless an {@link OverlapDetector} finds a second voice over it.
 *
 * <p>The same pipeline runs with another {@link WindowEmbedder} under another name: {@code onnx-embeddings} takes each
 * segment's embedding from a neural speaker-embedding model instead of the supervectors.
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

    private final String name;
    private final VoiceActivityModel vad;
    private final VadSettings vadSettings;
    private final EmbeddedSettings settings;
    private final FeatureExtractor features;
    private final WindowEmbedder embedder;
    private final Optional<OverlapDetector> overlap;
    private final int windowsAtOnce;
    private final ExecutorService windowWorkers;

    /**
     * The embedded engine itself, finding no overlap: GMM supervectors (or frame statistics) of the MFCCs embed the
     * segments.
     *
     * @param windowsAtOnce how many windows of a long recording are diarized at once (one core each)
     */
    public EmbeddedEngine(VoiceActivityModel vad, VadSettings vadSettings, EmbeddedSettings settings, int windowsAtOnce) {
        this(NAME, vad, vadSettings, settings, acousticEmbedder(settings), Optional.empty(), windowsAtOnce);
    }

    /**
     * The embedded pipeline with a given embedder and overlap detector.
     *
     * @param name          the engine's name, as configuration chooses it and answers report it
     * @param embedder      embeds each window's segments; closed with the engine
     * @param overlap       finds second voices over each window's frames; closed with the engine
     * @param windowsAtOnce how many windows of a long recording are diarized at once (one core each)
     */
    public EmbeddedEngine(String name, VoiceActivityModel vad, VadSettings vadSettings, EmbeddedSettings settings,
            WindowEmbedder embedder, Optional<OverlapDetector> overlap, int windowsAtOnce) {
        if (windowsAtOnce < 1) {
            throw new IllegalArgumentException("windowsAtOnce must be at least 1, not " + windowsAtOnce);
        }
        this.name = name;
        this.vad = vad;
        this.vadSettings = vadSettings;
        this.settings = settings;
        this.features = new FeatureExtractor(settings.mels(), settings.ceps());
        this.embedder = embedder;
        this.overlap = overlap;
        this.windowsAtOnce = windowsAtOnce;
        this.windowWorkers = Executors.newFixedThreadPool(windowsAtOnce, runnable -> {
            Thread thread = new Thread(runnable, name + "-window");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The supervector (or statistics) embedder of the settings, on the window's MFCCs. */
    public static WindowEmbedder acousticEmbedder(EmbeddedSettings settings) {
        SpeakerEmbedder statistics = new StatisticsEmbedder(1);
        EigengapCountEstimator graph = new EigengapCountEstimator(settings.graphKeepFraction());
        SpeakerEmbedder embedder = settings.supervectorComponents() <= 0 ? statistics
                : new UnlikeVoicesEmbedder(new SupervectorEmbedder(settings.supervectorComponents(), 16, 1, 10),
                        statistics, voices -> graph.connectivity(voices) < settings.unlikeVoicesBelow());
        String description = settings.supervectorComponents() > 0
                ? settings.supervectorComponents() + "-component GMM supervectors of MFCCs, joined by MFCC statistics"
                        + " when the voices differ grossly"
                : "MFCC statistics";
        return new WindowEmbedder() {
            @Override
            public List<double[]> embed(float[] samples, double[][] frames, List<Segment> segments) {
                return embedder.embed(frames, segments);
            }

            @Override
            public String describe() {
                return description;
            }
        };
    }

    @Override
    public String name() {
        return name;
    }

    /** What embeds the segments, for readiness. */
    public String embedding() {
        return embedder.describe();
    }

    /** What finds overlapped speech, for readiness; empty when nothing does. */
    public Optional<String> overlapDetection() {
        return overlap.map(OverlapDetector::describe);
    }

    @Override
    public void close() {
        windowWorkers.shutdownNow();
        embedder.close();
        overlap.ifPresent(OverlapDetector::close);
    }

    @Override
    public boolean reportsOverlap() {
        return overlap.isPresent();
    }

    @Override
    public DiarizedRecording diarize(float[] samples, SpeakerCountHint hint) {
        int window = windowSamples();
        try (WindowsInFlight windows = new WindowsInFlight()) {
            for (int start = 0; start == 0 || start < samples.length; start += window) {
                float[] part = samples.length <= window ? samples
                        : Arrays.copyOfRange(samples, start, Math.min(samples.length, start + window));
                windows.submit(part, start, hint, samples.length <= window);
            }
            return combine(windows.results(), samples.length, hint);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Diarizes a recording of any length as it is read, a window at a time and up to {@code windowsAtOnce} windows at
     * once, so that only those windows' samples and features are held: a four-hour recording needs the memory of a few
     * five-minute ones, plus its turns.
     */
    @Override
    public DiarizedRecording diarize(SampleSource source, SpeakerCountHint hint) throws IOException {
        int window = windowSamples();
        long read = 0;
        try (WindowsInFlight windows = new WindowsInFlight()) {
            for (int count = window; count == window; read += count) {
                float[] buffer = new float[window];
                count = Math.max(0, source.readFully(buffer, 0, window));
                if (count == 0 && read > 0) {
                    break;
                }
                // A recording shorter than a window is one whole window, as from memory: the caller's count is its own.
                windows.submit(count == window ? buffer : Arrays.copyOf(buffer, count), read, hint,
                        read == 0 && count < window);
            }
            return combine(windows.results(), read, hint);
        }
    }

    /**
     * The windows of one recording being diarized on the engine's workers, at most {@code windowsAtOnce} of them at a
     * time: submitting one more waits for a worker. Closing it cancels whatever is still running.
     */
    private final class WindowsInFlight implements AutoCloseable {

        private final Semaphore slots = new Semaphore(windowsAtOnce);
        private final List<Future<Window>> windows = new ArrayList<>();

        void submit(float[] samples, long startSample, SpeakerCountHint hint, boolean whole) throws IOException {
            try {
                slots.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while diarizing");
            }
            try {
                windows.add(windowWorkers.submit(() -> {
                    try {
                        return diarizeWindow(samples, startSample, hint, whole);
                    } finally {
                        slots.release();
                    }
                }));
            } catch (RejectedExecutionException e) {
                slots.release();
                throw new IOException("the engine is closed", e);
            }
        }

        /** Every window's speakers, in recording order; a window's failure is the recording's. */
        List<Window> results() throws IOException {
            List<Window> done = new ArrayList<>(windows.size());
            try {
                for (Future<Window> window : windows) {
                    done.add(window.get());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while diarizing");
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException failure) {
                    throw failure;
                }
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw new IOException(e.getCause());
            }
            return done;
        }

        @Override
        public void close() {
            windows.forEach(window -> window.cancel(true));
        }
    }

    private int windowSamples() {
        return (int) Math.round(settings.windowSeconds() * FeatureExtractor.SAMPLE_RATE);
    }

    /**
     * One window's speakers.
     *
     * @param startSample where the window starts in the recording
     * @param labels      each frame's speaker ({@code 0..speakers-1}), -1 where no one speaks
     * @param statistics  per speaker, the mean and deviation of its frames' features: comparable across windows, unlike
     *                    the window's supervectors, whose background model is the window's own
     * @param frameCounts per speaker, how many frames it speaks
     * @param second      each frame's second speaker, as {@link OverlapDetector#secondSpeakers} gives it; null when
     *                    overlap is not looked for
     */
    private record Window(long startSample, int[] labels, List<double[]> statistics, double[] frameCounts,
                          int[] second) {
    }

    /**
     * Diarizes one window.
     *
     * @param whole whether the window is the whole recording: then the caller's speaker count applies to it as such;
     *              otherwise a window may hold fewer speakers than the recording, and the count applies to the linking
     */
    private Window diarizeWindow(float[] samples, long startSample, SpeakerCountHint hint, boolean whole) {
        List<Segment> regions = speechRegions(samples);
        double[][] frames = features.mfcc(samples);
        if (regions.isEmpty() || frames.length == 0) {
            return new Window(startSample, new int[0], List.of(), new double[0], null);
        }
        boolean[] speech = new boolean[frames.length];
        for (Segment region : regions) {
            Arrays.fill(speech, region.start(), region.end(), true);
        }
        FrameNormalizer.normalize(frames, speech);

        ChangeDetector changes = new ChangeDetector(frames(settings.changeWindowSeconds()), 10,
                settings.changeThreshold(), frames(settings.minSegmentSeconds()), frames(settings.maxSegmentSeconds()));
        List<Segment> segments = changes.segment(frames, regions);
        List<double[]> embeddings = embedder.embed(samples, frames, segments);
        double[] weights = segments.stream().mapToDouble(Segment::length).toArray();
        int min = Math.min(whole ? hint.lowest(settings.minSpeakers()) : settings.minSpeakers(), segments.size());
        int max = Math.min(hint.highest(settings.maxSpeakers()), segments.size());
        int count = min == max ? min
                : new EigengapCountEstimator(settings.graphKeepFraction()).estimate(embeddings, min, max, settings.oneVoiceAbove());
        int[] segmentLabels = AgglomerativeClustering.cluster(embeddings, weights, count);
        int speakers = Arrays.stream(segmentLabels).max().orElse(-1) + 1;

        int[] labels = new int[frames.length];
        Arrays.fill(labels, -1);
        for (int i = 0; i < segments.size(); i++) {
            Arrays.fill(labels, segments.get(i).start(), segments.get(i).end(), segmentLabels[i]);
        }
        if (settings.resegmentRounds() > 0 && speakers > 1) {
            labels = new ViterbiResegmenter(settings.gmmComponents(), 5, settings.resegmentRounds(),
                    settings.switchPenalty(), 1).resegment(frames, labels, speakers);
        }
        absorbShortTurns(labels);
        int[] finalLabels = labels;
        StatisticsEmbedder statistics = new StatisticsEmbedder(1);
        List<double[]> speakerStatistics = new ArrayList<>();
        double[] frameCounts = new double[speakers];
        for (int s = 0; s < speakers; s++) {
            int speaker = s;
            int[] rows = IntStream.range(0, labels.length).filter(f -> finalLabels[f] == speaker)
                    .toArray();
            frameCounts[s] = rows.length;
            speakerStatistics.add(rows.length == 0 ? null : statistics.statistics(frames, rows));
        }
        int[] second = overlap.map(detector -> detector.secondSpeakers(samples, finalLabels)).orElse(null);
        return new Window(startSample, finalLabels, speakerStatistics, frameCounts, second);
    }

    /**
     * The windows' speakers linked into the recording's: their statistics clustered into the caller's count, or into
     * the count their affinity graph suggests within the bounds.
     */
    private DiarizedRecording combine(List<Window> windows, long totalSamples, SpeakerCountHint hint) {
        double duration = totalSamples / (double) FeatureExtractor.SAMPLE_RATE;
        List<double[]> statistics = new ArrayList<>();
        List<Double> weights = new ArrayList<>();
        List<int[]> owners = new ArrayList<>();
        for (int w = 0; w < windows.size(); w++) {
            Window window = windows.get(w);
            for (int s = 0; s < window.statistics().size(); s++) {
                if (window.statistics().get(s) != null) {
                    statistics.add(window.statistics().get(s));
                    weights.add(window.frameCounts()[s]);
                    owners.add(new int[] {w, s});
                }
            }
        }
        int[][] global = new int[windows.size()][];
        for (int w = 0; w < windows.size(); w++) {
            global[w] = new int[windows.get(w).statistics().size()];
        }
        if (windows.size() == 1) {
            for (int s = 0; s < global[0].length; s++) {
                global[0][s] = s;
            }
        } else if (!statistics.isEmpty()) {
            int[] linked = WindowLinker.link(statistics, weights.stream().mapToDouble(Double::doubleValue).toArray(),
                    hint.lowest(settings.minSpeakers()), hint.highest(settings.maxSpeakers()),
                    new EigengapCountEstimator(settings.graphKeepFraction()));
            for (int i = 0; i < owners.size(); i++) {
                global[owners.get(i)[0]][owners.get(i)[1]] = linked[i];
            }
        }
        List<int[]> runs = new ArrayList<>();
        List<int[]> secondRuns = new ArrayList<>();
        List<TimeSpan> overlapped = new ArrayList<>();
        for (int w = 0; w < windows.size(); w++) {
            Window window = windows.get(w);
            int offset = (int) (window.startSample() / FeatureExtractor.HOP);
            addRuns(runs, window.labels(), global[w], offset);
            if (window.second() != null) {
                int[] second = window.second().clone();
                for (int f = 0; f < second.length; f++) {
                    // A second voice the window's turns no longer hold (absorbed as too short) was not linked.
                    boolean linkable = second[f] >= 0 && window.statistics().get(second[f]) != null;
                    if (second[f] != OverlapDetector.NONE) {
                        addOverlapFrame(overlapped, offset + f, duration);
                    }
                    second[f] = linkable ? second[f] : -1;
                }
                addRuns(secondRuns, second, global[w], offset);
            }
        }
        int[] numbers = AgglomerativeClustering.renumber(Stream.concat(runs.stream(), secondRuns.stream())
                .mapToInt(r -> r[0]).toArray());
        List<SpeakerTurn> turns = new ArrayList<>();
        for (int i = 0; i < runs.size() + secondRuns.size(); i++) {
            int[] run = i < runs.size() ? runs.get(i) : secondRuns.get(i - runs.size());
            turns.add(new SpeakerTurn("SPEAKER_%02d".formatted(numbers[i]), seconds(run[1], duration),
                    seconds(run[2], duration)));
        }
        return new DiarizedRecording(duration, joinedBySpeaker(turns), overlapped);
    }

    /** The runs of equal labels of one window's frames, {@code {recording's speaker, first frame, end frame}}. */
    private static void addRuns(List<int[]> runs, int[] labels, int[] global, int offset) {
        for (int f = 0; f < labels.length; ) {
            int g = f;
            while (g < labels.length && labels[g] == labels[f]) {
                g++;
            }
            if (labels[f] >= 0) {
                runs.add(new int[] {global[labels[f]], offset + f, offset + g});
            }
            f = g;
        }
    }

    /** Adds an overlapped frame to the overlap found, extending the last stretch when it adjoins it. */
    private static void addOverlapFrame(List<TimeSpan> overlap, int frame, double duration) {
        double start = seconds(frame, duration);
        double end = seconds(frame + 1, duration);
        TimeSpan last = overlap.isEmpty() ? null : overlap.get(overlap.size() - 1);
        if (last != null && start - last.end() < 1e-6) {
            overlap.set(overlap.size() - 1, new TimeSpan(last.start(), end));
        } else {
            overlap.add(new TimeSpan(start, end));
        }
    }

    private static double seconds(int frame, double duration) {
        return Math.min(duration, frame * FeatureExtractor.HOP / (double) FeatureExtractor.SAMPLE_RATE);
    }

    /** The turns in order of start, each speaker's turns that touch or overlap joined into one. */
    private static List<SpeakerTurn> joinedBySpeaker(List<SpeakerTurn> turns) {
        List<SpeakerTurn> sorted = new ArrayList<>(turns);
        sorted.sort(Comparator.comparingDouble(SpeakerTurn::start));
        List<SpeakerTurn> joined = new ArrayList<>();
        Map<String, Integer> latest = new HashMap<>();
        for (SpeakerTurn turn : sorted) {
            Integer at = latest.get(turn.speaker());
            SpeakerTurn last = at == null ? null : joined.get(at);
            if (last != null && turn.start() - last.end() < 1e-6) {
                joined.set(at, new SpeakerTurn(turn.speaker(), last.start(), Math.max(last.end(), turn.end())));
            } else {
                latest.put(turn.speaker(), joined.size());
                joined.add(turn);
            }
        }
        return joined;
    }

    /** Speech regions in frames. */
    private List<Segment> speechRegions(float[] samples) {
        List<SpeechRegion> regions;
        try {
            regions = vad.speechRegions(new SamplesInMemory(samples), vadSettings);
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

    /** Turns shorter than the minimum go to the speaker of the turn they adjoin (before, else after). */
    private void absorbShortTurns(int[] labels) {
        int minFrames = frames(settings.minTurnSeconds());
        for (int f = 0; f < labels.length; ) {
            int g = f;
            while (g < labels.length && labels[g] == labels[f]) {
                g++;
            }
            if (labels[f] >= 0 && g - f < minFrames) {
                int neighbour = f > 0 && labels[f - 1] >= 0 ? labels[f - 1] : g < labels.length ? labels[g] : -1;
                if (neighbour >= 0) {
                    Arrays.fill(labels, f, g, neighbour);
                }
            }
            f = g;
        }
    }

    private static int frames(double seconds) {
        return (int) Math.round(seconds * FeatureExtractor.FRAMES_PER_SECOND);
    }
}
