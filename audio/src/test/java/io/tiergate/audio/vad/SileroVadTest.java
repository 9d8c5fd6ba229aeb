package io.tiergate.audio.vad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.tiergate.audio.PcmDecoder;
import io.tiergate.audio.SampleSource;
import io.tiergate.audio.testing.TestAssets;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SileroVadTest {

    private static final Path MODEL = TestAssets.path("vad/silero_vad.onnx");
    private static final Path SAMPLE = TestAssets.path("diarization/pyannote_sample.wav");

    private static SileroVad vad;
    private static float[] sample;

    @BeforeAll
    static void load() throws Exception {
        vad = SileroVad.load(MODEL);
        sample = TestAssets.samples(SAMPLE);
    }

    @AfterAll
    static void close() {
        vad.close();
    }

    @Test
    void findsTheSpeechOfTheReferenceTurns() throws Exception {
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        long cpuBefore = cpu.getCurrentThreadCpuTime();
        List<SpeechRegion> regions = vad.speechRegions(source(sample), VadSettings.DEFAULTS);
        double cpuSeconds = (cpu.getCurrentThreadCpuTime() - cpuBefore) / 1e9;
        System.out.printf("Silero VAD: %.1f s of audio in %.3f s of CPU, %.0f s of audio per CPU second%n",
                sample.length / 16000.0, cpuSeconds, sample.length / 16000.0 / cpuSeconds);

        List<double[]> reference = rttmSpeech(TestAssets.path("diarization/pyannote_sample.rttm"));
        // Exactly what Silero's OnnxWrapper gives: these regions were checked against a plain port of it, with new
        // tensors per window, which scored every window bit for bit the same.
        assertThat(regions).containsExactly(new SpeechRegion(108_064, 115_680), new SpeechRegion(121_888, 286_688),
                new SpeechRegion(288_800, 345_568), new SpeechRegion(348_704, 480_000));
        assertThat(regions.get(0).startSeconds()).isCloseTo(6.69, within(0.2));
        double speech = regions.stream().mapToDouble(r -> r.endSeconds() - r.startSeconds()).sum();
        double referenceSpeech = reference.stream().mapToDouble(r -> r[1] - r[0]).sum();
        assertThat(speech).isCloseTo(referenceSpeech, within(0.1 * referenceSpeech));
        double agreed = 0;
        for (SpeechRegion region : regions) {
            for (double[] turn : reference) {
                agreed += Math.max(0, Math.min(region.endSeconds(), turn[1]) - Math.max(region.startSeconds(), turn[0]));
            }
        }
        assertThat(agreed).as("reference speech the VAD found").isGreaterThan(0.9 * referenceSpeech);
    }

    @Test
    void silenceHasNoSpeech() throws Exception {
        assertThat(vad.speechRegions(source(new float[10 * PcmDecoder.SAMPLE_RATE]), VadSettings.DEFAULTS)).isEmpty();
    }

    @Test
    void streamsOfOneModelRunInParallelWithoutMixingTheirState() throws Exception {
        float[] reversed = new float[sample.length];
        for (int i = 0; i < sample.length; i++) {
            reversed[i] = sample[sample.length - 1 - i];
        }
        float[] alone = probabilities(sample);
        float[] reversedAlone = probabilities(reversed);

        CompletableFuture<float[]> first = CompletableFuture.supplyAsync(() -> probabilities(sample));
        CompletableFuture<float[]> second = CompletableFuture.supplyAsync(() -> probabilities(reversed));

        assertThat(first.join()).containsExactly(alone);
        assertThat(second.join()).containsExactly(reversedAlone);
    }

    @Test
    void aMissingModelIsNamedWithWhatIsWrong(@TempDir Path dir) {
        Path missing = dir.resolve("silero_vad.onnx");
        assertThatThrownBy(() -> SileroVad.load(missing)).isInstanceOf(VadModelException.class)
                .hasMessage("Silero VAD model " + missing + " does not exist (audio/fetch-vad-model.sh fetches it)");
    }

    @Test
    void aTruncatedModelIsNamedWithWhatIsWrong(@TempDir Path dir) throws Exception {
        byte[] model = Files.readAllBytes(MODEL);
        Path truncated = Files.write(dir.resolve("silero_vad.onnx"), Arrays.copyOf(model, model.length / 2));
        assertThatThrownBy(() -> SileroVad.load(truncated)).isInstanceOf(VadModelException.class)
                .hasMessageStartingWith("Silero VAD model " + truncated + " is not a valid ONNX model (truncated or corrupt?)");
    }

    @Test
    void garbageIsNamedWithWhatIsWrong(@TempDir Path dir) throws Exception {
        byte[] garbage = new byte[100_000];
        new Random(3).nextBytes(garbage);
        Path file = Files.write(dir.resolve("silero_vad.onnx"), garbage);
        assertThatThrownBy(() -> SileroVad.load(file)).isInstanceOf(VadModelException.class)
                .hasMessageStartingWith("Silero VAD model " + file + " is not a valid ONNX model");
    }

    @Test
    void anEmptyFileOrADirectoryIsNamedWithWhatIsWrong(@TempDir Path dir) throws Exception {
        Path empty = Files.createFile(dir.resolve("silero_vad.onnx"));
        assertThatThrownBy(() -> SileroVad.load(empty)).hasMessage("Silero VAD model " + empty + " is empty");
        assertThatThrownBy(() -> SileroVad.load(dir)).hasMessage("Silero VAD model " + dir + " is not a file");
    }

    private static float[] probabilities(float[] samples) {
        int windows = samples.length / VoiceActivityModel.WINDOW_SAMPLES;
        float[] probabilities = new float[windows];
        try (VoiceActivityModel.Stream stream = vad.openStream()) {
            for (int w = 0; w < windows; w++) {
                probabilities[w] = stream.speechProbability(samples, w * VoiceActivityModel.WINDOW_SAMPLES);
            }
        }
        return probabilities;
    }

    /** The union of the reference turns, in seconds: overlapping turns count once. */
    private static List<double[]> rttmSpeech(Path rttm) throws Exception {
        List<double[]> turns = Files.readAllLines(rttm).stream()
                .map(line -> line.split("\\s+"))
                .map(fields -> new double[] {Double.parseDouble(fields[3]),
                        Double.parseDouble(fields[3]) + Double.parseDouble(fields[4])})
                .sorted((a, b) -> Double.compare(a[0], b[0]))
                .toList();
        List<double[]> union = new java.util.ArrayList<>();
        for (double[] turn : turns) {
            double[] last = union.isEmpty() ? null : union.get(union.size() - 1);
            if (last != null && turn[0] <= last[1]) {
                last[1] = Math.max(last[1], turn[1]);
            } else {
                union.add(turn.clone());
            }
        }
        return union;
    }

    static SampleSource source(float[] samples) {
        int[] position = {0};
        return (into, offset, length) -> {
            if (position[0] == samples.length) {
                return -1;
            }
            int count = Math.min(length, samples.length - position[0]);
            System.arraycopy(samples, position[0], into, offset, count);
            position[0] += count;
            return count;
        };
    }
}
