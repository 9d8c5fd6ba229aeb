package io.tiergate.diarization.bench;

import com.sun.management.OperatingSystemMXBean;
import io.tiergate.audio.testing.TestAssets;
import io.tiergate.audio.vad.SileroVad;
import io.tiergate.audio.vad.VadSettings;
import io.tiergate.diarization.engine.DiarizedRecording;
import io.tiergate.diarization.engine.SpeakerCountHint;
import io.tiergate.common.diarization.SpeakerTurn;
import io.tiergate.diarization.engine.embedded.EmbeddedEngine;
import io.tiergate.diarization.engine.embedded.EmbeddedSettings;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Development runner of bench/speech/diarization-bench.sh: diarizes recordings with the embedded engine and writes
 * RTTM for md-eval to score. Arguments: {@code <wav> <uri> <out.rttm>} triples. Settings other than the defaults come
 * from system properties named as the {@link EmbeddedSettings} components ({@code -DstopSimilarity=0.1}), and
 * {@code -DnumSpeakers=2} gives the engine the speaker count. Each timed run prints its wall time and the process's CPU
 * time.
 */
public final class DiarizationBench {

    /** The whole JVM's CPU time, garbage collection and compilation included, as a pod's is counted. */
    private static final OperatingSystemMXBean PROCESS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private DiarizationBench() {
    }

    public static void main(String[] args) throws Exception {
        EmbeddedSettings settings = settingsFromProperties();
        String count = System.getProperty("numSpeakers");
        SpeakerCountHint hint = count == null ? SpeakerCountHint.UNKNOWN : SpeakerCountHint.exactly(Integer.parseInt(count));
        try (SileroVad vad = SileroVad.load(TestAssets.path("vad/silero_vad.onnx"))) {
            VadSettings d = EmbeddedEngine.VAD_SETTINGS;
            double threshold = number("vadThreshold", d.threshold());
            VadSettings vadSettings = new VadSettings(threshold, Math.max(0.01, threshold - (d.threshold() - d.negThreshold())), d.minSpeech(),
                    java.time.Duration.ofMillis(integer("vadMinSilenceMs", (int) d.minSilence().toMillis())),
                    java.time.Duration.ofMillis(integer("vadPadMs", (int) d.speechPad().toMillis())));
            EmbeddedEngine engine = new EmbeddedEngine(vad, vadSettings, settings,
                    integer("windowsAtOnce", Runtime.getRuntime().availableProcessors()));
            for (int i = 0; i + 2 < args.length; i += 3) {
                Path wav = Path.of(args[i]);
                float[] samples = TestAssets.samples(wav);
                engine.diarize(samples, hint); // warm-up: the JIT, not the recording, would dominate a 30 s clip
                long cpuBefore = PROCESS.getProcessCpuTime();
                long started = System.nanoTime();
                DiarizedRecording result = engine.diarize(samples, hint);
                double seconds = (System.nanoTime() - started) / 1e9;
                double cpuSeconds = (PROCESS.getProcessCpuTime() - cpuBefore) / 1e9;
                writeRttm(result, args[i + 1], Path.of(args[i + 2]));
                System.out.printf(Locale.ROOT, "%s: %.1f s audio, %d speakers, %d turns, %.2f s, RTF %.4f, CPU %.2f s%n",
                        wav.getFileName(), result.durationSeconds(), result.speakers().size(), result.turns().size(),
                        seconds, seconds / result.durationSeconds(), cpuSeconds);
            }
        }
    }

    static void writeRttm(DiarizedRecording result, String uri, Path out) throws IOException {
        StringBuilder rttm = new StringBuilder();
        for (SpeakerTurn turn : result.turns()) {
            rttm.append(String.format(Locale.ROOT, "SPEAKER %s 1 %.3f %.3f <NA> <NA> %s <NA> <NA>%n", uri,
                    turn.start(), turn.end() - turn.start(), turn.speaker()));
        }
        Files.writeString(out, rttm);
    }

    static EmbeddedSettings settingsFromProperties() {
        EmbeddedSettings d = EmbeddedSettings.DEFAULTS;
        return new EmbeddedSettings(integer("mels", d.mels()), integer("ceps", d.ceps()),
                number("changeWindowSeconds", d.changeWindowSeconds()), number("changeThreshold", d.changeThreshold()),
                number("minSegmentSeconds", d.minSegmentSeconds()), number("maxSegmentSeconds", d.maxSegmentSeconds()),
                integer("supervectorComponents", d.supervectorComponents()),
                number("graphKeepFraction", d.graphKeepFraction()),
                number("unlikeVoicesBelow", d.unlikeVoicesBelow()), number("oneVoiceAbove", d.oneVoiceAbove()),
                integer("minSpeakers", d.minSpeakers()),
                integer("maxSpeakers", d.maxSpeakers()), integer("gmmComponents", d.gmmComponents()),
                integer("resegmentRounds", d.resegmentRounds()), number("switchPenalty", d.switchPenalty()),
                number("minTurnSeconds", d.minTurnSeconds()), number("windowSeconds", d.windowSeconds()));
    }

    private static int integer(String name, int fallback) {
        return Integer.parseInt(System.getProperty(name, Integer.toString(fallback)));
    }

    private static double number(String name, double fallback) {
        return Double.parseDouble(System.getProperty(name, Double.toString(fallback)));
    }
}
