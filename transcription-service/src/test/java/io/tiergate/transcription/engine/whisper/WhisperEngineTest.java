package io.tiergate.transcription.engine.whisper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.tiergate.audio.testing.TestAssets;
import io.tiergate.common.transcription.TranscriptWord;
import io.tiergate.transcription.config.TranscriptionConfig;
import io.tiergate.transcription.engine.EngineOutput;
import io.tiergate.transcription.engine.EngineRequest;
import io.tiergate.transcription.engine.TestConfigs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * whisper.cpp through whisper-jni on a tiny model written in whisper.cpp's own format, whose decoder always writes
 * " Ask not" from 0 to 1 s ({@link TinyWhisperModel}): every native call is the real one and the output is known.
 * Files whisper.cpp would abort the JVM on, or load as an empty model, must leave the engine not ready instead.
 */
class WhisperEngineTest {

    private static final int RATE = 16_000;
    private static final EngineRequest PLAIN = new EngineRequest(Optional.empty(), Optional.empty(), 0, true, false);

    @TempDir
    static Path models;
    static Path english;
    static Path multilingual;
    static float[] speech;
    static WhisperEngine englishEngine;

    @BeforeAll
    static void writeModels() throws IOException {
        english = TinyWhisperModel.english(models.resolve("ggml-tiny-random.en.bin"));
        multilingual = TinyWhisperModel.multilingual(models.resolve("ggml-tiny-random.bin"));
        speech = Arrays.copyOf(TestAssets.samples(TestAssets.path("asr/jfk.wav")), 2 * RATE);
        englishEngine = new WhisperEngine(config(english), 2);
    }

    @AfterAll
    static void closeEngine() {
        englishEngine.close();
    }

    @Test
    void anEnglishModelLoadsAndTranscribesIntoTimedSegmentsAndWords() throws Exception {
        assertThat(englishEngine.status().ready()).as(englishEngine.status().detail()).isTrue();
        assertThat(englishEngine.status().detail()).contains(english.toString(), ".en (f16)", "on the CPU", "2 slots");
        assertThat(englishEngine.languages()).containsExactly("en");
        assertThat(englishEngine.translates()).isFalse();
        assertThat(englishEngine.wordTimings()).isFalse();

        EngineOutput output = englishEngine.transcribe(speech, PLAIN);

        assertThat(output.language()).isEqualTo("english");
        assertThat(output.segments()).containsExactly(new EngineOutput.Segment(0, 1.0, " Ask not", 0, 0,
                List.of(new TranscriptWord("Ask", 0, 0.5), new TranscriptWord("not", 0.5, 1.0))));
    }

    @Test
    void slotsTranscribeAtOnce() throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(3);
        try {
            List<Future<EngineOutput>> outputs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                outputs.add(callers.submit(() -> englishEngine.transcribe(speech, PLAIN)));
            }

            for (Future<EngineOutput> output : outputs) {
                assertThat(output.get(30, TimeUnit.SECONDS).segments()).extracting(EngineOutput.Segment::text)
                        .containsExactly(" Ask not");
            }
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void chunksUnderASecondAreTranscribedNotSkipped() throws Exception {
        float[] third = Arrays.copyOf(speech, RATE / 3);
        EngineOutput shortChunk = englishEngine.transcribe(third, PLAIN);
        EngineOutput empty = englishEngine.transcribe(new float[0], PLAIN);

        assertThat(shortChunk.segments()).singleElement().satisfies(segment -> {
            assertThat(segment.text()).isEqualTo(" Ask not");
            assertThat(segment.end()).isEqualTo(third.length / (double) RATE);
            wellFormed(segment, third.length / (double) RATE);
        });
        assertThat(empty.segments()).singleElement().satisfies(segment -> wellFormed(segment, 0));
    }

    @Test
    void aMultilingualModelTakesWhispersLanguagesDetectsOneAndTranslates() throws Exception {
        try (WhisperEngine engine = new WhisperEngine(
                TestConfigs.transcription("tiergate.transcription.whisper.model-path", multilingual.toString(),
                        "tiergate.transcription.whisper.beam-size", "1", "tiergate.transcription.whisper.gpu", "true")
                        .whisper(), 1)) {
            assertThat(engine.status().ready()).as(engine.status().detail()).isTrue();
            assertThat(engine.status().detail()).contains("gpu is on, but these natives have no GPU backend");
            assertThat(engine.languages()).hasSize(99).contains("en", "de", "haw").doesNotContain("yue");
            assertThat(engine.translates()).isTrue();

            EngineOutput detected = engine.transcribe(speech, PLAIN);
            EngineOutput french = engine.transcribe(speech,
                    new EngineRequest(Optional.of("FR"), Optional.of("Bonjour."), 0.4, true, true));

            assertThat(detected.language()).isEqualTo("german");
            assertThat(french.language()).isEqualTo("french");
            assertThat(french.segments()).extracting(EngineOutput.Segment::text).containsExactly(" Ask not");
            assertThatThrownBy(() -> engine.transcribe(speech, new EngineRequest(Optional.of("xx"), Optional.empty(), 0,
                    false, false))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'xx'");
        }
    }

    @Test
    void aHugePromptNeitherStallsNorCrashesACallerWithASmallStack() throws Exception {
        EngineRequest request = new EngineRequest(Optional.empty(), Optional.of("a".repeat(100_000)), 0, false, false);
        CompletableFuture<EngineOutput> output = new CompletableFuture<>();
        Thread caller = new Thread(null, () -> {
            try {
                output.complete(englishEngine.transcribe(speech, request));
            } catch (IOException | RuntimeException e) {
                output.completeExceptionally(e);
            }
        }, "small-stack-caller", 144 * 1024);

        caller.start();

        assertThat(output.get(20, TimeUnit.SECONDS).segments()).extracting(EngineOutput.Segment::text)
                .containsExactly(" Ask not");
    }

    @Test
    void onlyThePromptsEndReachesWhisperInWholeCharacters() {
        assertThat(WhisperEngine.tail("a".repeat(5_000))).hasSize(1_200);
        assertThat(WhisperEngine.tail("x" + "😀".repeat(300))).isEqualTo("😀".repeat(200));
        assertThat(WhisperEngine.tail("Guten Tag.")).isEqualTo("Guten Tag.");
    }

    @Test
    void wordsShareTheirSegmentsTimeByTheirLetters() {
        List<TranscriptWord> words = WhisperEngine.spread(" And so, my fellow Americans —", 1.0, 3.2);

        assertThat(words).extracting(TranscriptWord::word).containsExactly("And", "so", "my", "fellow", "Americans");
        assertThat(words.get(0).start()).isEqualTo(1.0);
        assertThat(words.get(0).end()).isCloseTo(1.3, within(1e-9));
        assertThat(words.get(3).end()).isCloseTo(2.3, within(1e-9));
        assertThat(words.get(4).end()).isEqualTo(3.2);
        for (int i = 1; i < words.size(); i++) {
            assertThat(words.get(i).start()).isEqualTo(words.get(i - 1).end());
        }
    }

    @Test
    void aClosedEngineRefusesChunks() {
        WhisperEngine engine = new WhisperEngine(config(english), 1);

        engine.close();

        assertThatThrownBy(() -> engine.transcribe(speech, PLAIN)).isInstanceOf(IOException.class).hasMessageContaining("closed");
    }

    @Test
    void withoutAModelItIsNotReadyAndSaysWhy() {
        WhisperEngine unset = new WhisperEngine(TestConfigs.transcription().whisper(), 1);
        WhisperEngine missing = new WhisperEngine(config(models.resolve("ggml-absent.bin")), 1);

        assertThat(unset.status().ready()).isFalse();
        assertThat(unset.status().detail()).contains("tiergate.transcription.whisper.model-path is not set");
        assertThat(missing.status().ready()).isFalse();
        assertThat(missing.status().detail()).contains(models.resolve("ggml-absent.bin").toString(), "does not exist");
        assertThatThrownBy(() -> missing.transcribe(speech, PLAIN)).isInstanceOf(IOException.class);
    }

    /** Cut in its header whisper.cpp aborts the JVM; cut in its vocabulary it loads an empty model; cut later it refuses. */
    @Test
    void aTruncatedModelIsNotReady() throws IOException {
        byte[] model = Files.readAllBytes(english);
        for (int length : new int[] {30, 100_000, model.length / 2, model.length - 1}) {
            Path cut = Files.write(models.resolve("cut-" + length + ".bin"), Arrays.copyOf(model, length));

            assertNotReady(cut, "is cut short");
        }
    }

    @Test
    void aFileOfAnotherFormatIsNotReady() throws IOException {
        byte[] noise = new byte[4096];
        new Random(7).nextBytes(noise);
        Path random = Files.write(models.resolve("noise.bin"), noise);
        Path wav = Files.copy(TestAssets.path("asr/jfk.wav"), models.resolve("jfk.bin"));

        assertNotReady(random, "is not a whisper.cpp ggml model");
        assertNotReady(wav, "is not a whisper.cpp ggml model");
    }

    /** Each of these makes whisper.cpp 1.7.1 abort the JVM or overrun a buffer, while loading or on the first chunk. */
    @Test
    void headersWhisperCppWouldCrashOnAreRefusedFirst() throws IOException {
        byte[] model = Files.readAllBytes(english);
        int firstTensor = indexOf(model, "encoder.positional_embedding") - 20;

        assertNotReady(patched(model, "ftype.bin", 44, 4), "ftype 4");
        assertNotReady(patched(model, "vocabulary.bin", 4, 60_000), "60000 tokens");
        assertNotReady(patched(model, "dimensions.bin", firstTensor, 9), "9 dimensions");
        assertNotReady(TinyWhisperModel.write(models.resolve("no-space.bin"), 51864, false), "lone space");
    }

    @Test
    void nativesThatCannotLoadLeaveItNotReadyWithTheLoadersReason() throws Exception {
        assumeThat(System.getProperty("os.arch")).isIn("amd64", "x86_64");
        Path natives = Files.createDirectories(models.resolve("natives-without-ggml"));
        for (String library : List.of("libwhisper-jni.so", "libwhisper.so.1")) {
            try (InputStream in = WhisperEngine.class.getResourceAsStream("/debian-amd64/" + library)) {
                Files.copy(in, natives.resolve(library));
            }
        }
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), NativeLoadProbe.class.getName(), english.toString(),
                natives.toString()).redirectErrorStream(true).start();
        String printed = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(child.waitFor()).as(printed).isZero();
        assertThat(printed).contains("ready=false", "cannot load from " + natives, "libggml.so: cannot open shared object file");
    }

    /** Run in a JVM of its own, since a JVM loads whisper's natives once; configured by hand to start fast. */
    public static final class NativeLoadProbe implements TranscriptionConfig.Whisper {

        private final String[] args;

        private NativeLoadProbe(String[] args) {
            this.args = args;
        }

        public static void main(String[] args) {
            WhisperEngine engine = new WhisperEngine(new NativeLoadProbe(args), 1);
            System.out.println("ready=" + engine.status().ready() + " " + engine.status().detail());
        }

        @Override
        public Optional<Path> modelPath() {
            return Optional.of(Path.of(args[0]));
        }

        @Override
        public int threads() {
            return 1;
        }

        @Override
        public boolean gpu() {
            return false;
        }

        @Override
        public int beamSize() {
            return 1;
        }

        @Override
        public Optional<Path> nativeDir() {
            return Optional.of(Path.of(args[1]));
        }
    }

    private static TranscriptionConfig.Whisper config(Path model) {
        return TestConfigs.transcription("tiergate.transcription.whisper.model-path", model.toString(),
                "tiergate.transcription.whisper.beam-size", "1").whisper();
    }

    private static void assertNotReady(Path model, String reason) {
        WhisperEngine engine = new WhisperEngine(config(model), 1);

        assertThat(engine.status().ready()).isFalse();
        assertThat(engine.status().detail()).contains(model.toString(), reason);
    }

    private static void wellFormed(EngineOutput.Segment segment, double seconds) {
        assertThat(segment.start()).isBetween(0.0, segment.end());
        assertThat(segment.end()).isLessThanOrEqualTo(seconds);
        assertThat(segment.text()).isNotBlank();
        for (TranscriptWord word : segment.words()) {
            assertThat(word.start()).isBetween(segment.start(), word.end());
            assertThat(word.end()).isLessThanOrEqualTo(segment.end());
        }
    }

    private static Path patched(byte[] model, String name, int offset, int value) throws IOException {
        byte[] copy = model.clone();
        ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putInt(offset, value);
        return Files.write(models.resolve(name), copy);
    }

    private static int indexOf(byte[] haystack, String needle) {
        byte[] bytes = needle.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i + bytes.length <= haystack.length; i++) {
            for (int j = 0; j < bytes.length; j++) {
                if (haystack[i + j] != bytes[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalArgumentException(needle);
    }
}
