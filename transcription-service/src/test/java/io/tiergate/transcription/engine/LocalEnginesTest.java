package io.tiergate.transcription.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tiergate.audio.Pcm16;
import io.tiergate.audio.testing.TestAssets;
import io.tiergate.common.transcription.TranscriptWord;
import io.tiergate.transcription.engine.pocketsphinx.PocketsphinxEngine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CPU engines on a real recording: they hear the words, time them inside the audio, and say when they cannot run. */
class LocalEnginesTest {

    /** Blocks the decoder reads and frames it cuts both start at multiples of this many samples. */
    private static final int BLOCKS_AND_FRAMES = 10_240;

    @Test
    void pocketsphinxHearsTheSpeechAndTimesEachWord() throws Exception {
        PocketsphinxEngine engine = new PocketsphinxEngine(TestConfigs.transcription().pocketsphinx(), 1);
        float[] samples = TestAssets.samples(TestAssets.path("asr/jfk.wav"));

        EngineOutput output = engine.transcribe(samples, plain());

        assertThat(engine.status().ready()).isTrue();
        List<TranscriptWord> words = output.segments().stream().flatMap(s -> s.words().stream()).toList();
        assertThat(words).extracting(TranscriptWord::word).contains("country", "you");
        assertThat(words).allSatisfy(word -> assertThat(word.start()).isBetween(0.0, word.end()));
        assertThat(words.get(words.size() - 1).end()).isLessThanOrEqualTo(11.0);
        assertThat(output.segments()).allSatisfy(segment -> assertThat(segment.text()).doesNotContain("<", "[", "("));
    }

    @Test
    void pocketsphinxWithoutItsModelIsNotReadyAndSaysWhy() {
        PocketsphinxEngine engine = new PocketsphinxEngine(
                TestConfigs.transcription("tiergate.transcription.pocketsphinx.model-dir", "/nonexistent/en-us").pocketsphinx(), 1);

        assertThat(engine.status().ready()).isFalse();
        assertThat(engine.status().detail()).contains("/nonexistent/en-us", "pocketsphinx-en-us");
    }

    @Test
    void pocketsphinxWithoutItsLibrariesIsNotReadyAndSaysWhy() {
        PocketsphinxEngine engine = new PocketsphinxEngine(
                TestConfigs.transcription("tiergate.transcription.pocketsphinx.library-dir", "/nonexistent/lib").pocketsphinx(), 1);

        assertThat(engine.status().ready()).isFalse();
        assertThat(engine.status().detail()).contains("/nonexistent/lib", "install pocketsphinx");
    }

    @Test
    void pocketsphinxInTheJvmHearsExactlyWhatItsDecoderProgramHears(@TempDir Path dir) throws Exception {
        assumeTrue(onPath("pocketsphinx_continuous"), "pocketsphinx_continuous is not installed");
        try (PocketsphinxEngine engine = new PocketsphinxEngine(TestConfigs.transcription().pocketsphinx(), 1)) {
            for (String clip : List.of("asr/jfk.wav", "asr/librivox_sense_and_sensibility_01_austen_64kb-0870.wav")) {
                float[] samples = TestAssets.samples(TestAssets.path(clip));
                // raw samples, as the pod decodes them: the program would read a WAV's extra header chunks as audio
                Path raw = Files.write(dir.resolve("clip.raw"), Pcm16.encode(samples));

                assertThat(words(engine.transcribe(samples, plain()))).as(clip).isNotEmpty().isEqualTo(decodedByTheProgram(raw));
            }
        }
    }

    @Test
    void aChunksWordsDoNotDependOnAnotherRecordingTheDecoderHeardBefore() throws Exception {
        float[] jfk = TestAssets.samples(TestAssets.path("asr/jfk.wav"));
        try (PocketsphinxEngine engine = new PocketsphinxEngine(TestConfigs.transcription().pocketsphinx(), 1)) {
            List<TranscriptWord> first = words(engine.transcribe(jfk, plain()));

            assertThat(words(engine.transcribe(jfk, plain()))).isEqualTo(first);
        }
    }

    /** A chunk whose request is gone stops within a block instead of decoding a minute of audio for no one. */
    @Test
    void aChunkStopsWhenItsThreadIsInterruptedAndTheDecoderHearsTheNextOne() throws Exception {
        float[] jfk = TestAssets.samples(TestAssets.path("asr/jfk.wav"));
        float[] minute = new float[jfk.length * 6];
        for (int i = 0; i < 6; i++) {
            System.arraycopy(jfk, 0, minute, i * jfk.length, jfk.length);
        }
        ExecutorService caller = Executors.newSingleThreadExecutor();
        try (PocketsphinxEngine engine = new PocketsphinxEngine(TestConfigs.transcription().pocketsphinx(), 1)) {
            List<TranscriptWord> alone = words(engine.transcribe(jfk, plain()));
            Future<EngineOutput> decoding = caller.submit(() -> engine.transcribe(minute, plain()));
            Thread.sleep(300);
            decoding.cancel(true);
            caller.shutdown();

            // Were the minute decoded whole, the only decoder would be busy with it for seconds more.
            assertThat(caller.awaitTermination(2, TimeUnit.SECONDS)).as("the interrupted chunk returned").isTrue();
            assertThat(words(engine.transcribe(jfk, plain()))).isEqualTo(alone);
        } finally {
            caller.shutdownNow();
        }
    }

    @Test
    void aRecordingsNextChunkIsHeardWithTheCepstralMeanItsChunkBeforeLeft() throws Exception {
        float[] clip = TestAssets.samples(TestAssets.path("asr/jfk.wav"));
        try (PocketsphinxEngine engine = new PocketsphinxEngine(TestConfigs.transcription().pocketsphinx(), 1)) {
            int cut = cutBetweenUtterances(engine.transcribe(clip, plain()).segments());
            float[] first = Arrays.copyOfRange(clip, 0, cut);
            float[] second = Arrays.copyOfRange(clip, cut, clip.length);

            EngineRequest recording = plain();
            engine.transcribe(first, recording);
            List<EngineOutput.Segment> goingOn = engine.transcribe(second, recording).segments();
            List<EngineOutput.Segment> onItsOwn = engine.transcribe(second, plain()).segments();

            assertThat(goingOn).isNotEmpty().isNotEqualTo(onItsOwn);
            EngineRequest again = plain();
            engine.transcribe(first, again);
            assertThat(engine.transcribe(second, again).segments()).isEqualTo(goingOn);
        }
    }

    /** A sample between two utterances, where the decoder's blocks and frames of the whole recording also start. */
    private static int cutBetweenUtterances(List<EngineOutput.Segment> segments) {
        for (int i = 0; i + 1 < segments.size(); i++) {
            double end = segments.get(i).end();
            double nextStart = segments.get(i + 1).start();
            int cut = (int) Math.ceil((end + 0.1) * 16_000 / BLOCKS_AND_FRAMES) * BLOCKS_AND_FRAMES;
            if (cut < (nextStart - 0.1) * 16_000) {
                return cut;
            }
        }
        throw new AssertionError("no pause to cut at between " + segments);
    }

    @Test
    void chunksTranscribedAtOnceOnSeveralDecodersGetTheSameWordsAsOneByOne() throws Exception {
        float[] clip = TestAssets.samples(TestAssets.path("asr/librivox_sense_and_sensibility_01_austen_64kb-0880.wav"));
        try (PocketsphinxEngine engine = new PocketsphinxEngine(TestConfigs.transcription().pocketsphinx(), 2)) {
            List<TranscriptWord> alone = words(engine.transcribe(clip, plain()));
            ExecutorService callers = Executors.newFixedThreadPool(3);
            try {
                List<Future<EngineOutput>> atOnce = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    atOnce.add(callers.submit(() -> engine.transcribe(clip, plain())));
                }
                for (Future<EngineOutput> output : atOnce) {
                    assertThat(words(output.get(60, TimeUnit.SECONDS))).isEqualTo(alone);
                }
            } finally {
                callers.shutdownNow();
            }
        }
    }

    @Test
    void silenceGivesNoText() throws Exception {
        PocketsphinxEngine engine = new PocketsphinxEngine(TestConfigs.transcription().pocketsphinx(), 1);

        assertThat(engine.transcribe(new float[16_000 * 2], plain()).segments()).isEmpty();
    }

    /** A new recording's request: the engine carries state only between chunks of one. */
    private static EngineRequest plain() {
        return new EngineRequest(Optional.empty(), Optional.empty(), 0, true, false);
    }

    private static List<TranscriptWord> words(EngineOutput output) {
        return output.segments().stream().flatMap(segment -> segment.words().stream()).toList();
    }

    /** {@code pocketsphinx_continuous -time yes} prints {@code word start end posterior} for each word of each utterance. */
    private static List<TranscriptWord> decodedByTheProgram(Path raw) throws Exception {
        Path models = TestConfigs.transcription().pocketsphinx().modelDir();
        Process process = new ProcessBuilder("pocketsphinx_continuous", "-infile", raw.toString(), "-samprate", "16000",
                "-hmm", models.resolve("en-us").toString(), "-lm", models.resolve("en-us.lm.bin").toString(),
                "-dict", models.resolve("cmudict-en-us.dict").toString(), "-time", "yes", "-logfn", "/dev/null")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        Pattern timedWord = Pattern.compile("(\\S+?)(\\(\\d+\\))? (\\d+\\.\\d+) (\\d+\\.\\d+) \\d+\\.\\d+");
        return out.lines().map(String::strip).map(timedWord::matcher).filter(Matcher::matches)
                .filter(word -> !word.group(1).matches("^[<\\[+].*"))
                .map(word -> new TranscriptWord(word.group(1), Double.parseDouble(word.group(3)),
                        Double.parseDouble(word.group(4))))
                .toList();
    }

    private static boolean onPath(String program) {
        return Stream.of(System.getenv("PATH").split(":")).anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
    }
}
