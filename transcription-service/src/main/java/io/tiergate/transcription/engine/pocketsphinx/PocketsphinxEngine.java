package io.tiergate.transcription.engine.pocketsphinx;

import io.tiergate.audio.Pcm16;
import io.tiergate.audio.chunk.ChunkSettings;
import io.tiergate.common.transcription.TranscriptWord;
import io.tiergate.transcription.config.TranscriptionConfig;
import io.tiergate.transcription.engine.EngineOutput;
import io.tiergate.transcription.engine.EngineRequest;
import io.tiergate.transcription.engine.EngineStatus;
import io.tiergate.transcription.engine.TranscriptionEngine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * CMU PocketSphinx (the C engine) with the en-us model of the OS packages, one {@code pocketsphinx_continuous}
 * process per chunk reading raw samples on stdin: English only, word times from the decoder, no translation.
 */
public final class PocketsphinxEngine implements TranscriptionEngine {

    /** {@code word start end posterior}, as {@code -time yes} prints each word of an utterance. */
    private static final Pattern TIMED_WORD = Pattern.compile("(\\S+) (\\d+\\.\\d+) (\\d+\\.\\d+) (\\d+\\.\\d+)");
    /** Pronunciation variants print as {@code word(2)}. */
    private static final Pattern VARIANT = Pattern.compile("\\(\\d+\\)$");

    private static final ChunkSettings CHUNKING = new ChunkSettings(Duration.ofSeconds(55), Duration.ofSeconds(60),
            ChunkSettings.DEFAULTS.maxSilence());

    private final TranscriptionConfig.Pocketsphinx config;
    private final int slots;
    private final EngineStatus status;

    public PocketsphinxEngine(TranscriptionConfig.Pocketsphinx config, int slots) {
        this.config = config;
        this.slots = slots;
        this.status = check(config);
    }

    @Override
    public String name() {
        return "pocketsphinx";
    }

    @Override
    public Set<String> languages() {
        return Set.of("en");
    }

    @Override
    public boolean wordTimings() {
        return true;
    }

    @Override
    public boolean translates() {
        return false;
    }

    @Override
    public int slots() {
        return slots;
    }

    /**
     * Longer than whisper's 30 s windows: the decoder splits utterances itself, and each chunk starts a process that
     * loads the model, which fewer, longer chunks pay for less often.
     */
    @Override
    public ChunkSettings chunking() {
        return CHUNKING;
    }

    @Override
    public EngineStatus status() {
        return status;
    }

    @Override
    public EngineOutput transcribe(float[] samples, EngineRequest request) throws IOException {
        Path models = config.modelDir();
        Process process = new ProcessBuilder(config.binary().toString(), "-infile", "/dev/stdin", "-samprate", "16000",
                "-hmm", models.resolve("en-us").toString(), "-lm", models.resolve("en-us.lm.bin").toString(),
                "-dict", models.resolve("cmudict-en-us.dict").toString(), "-time", "yes", "-logfn", "/dev/null")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        CompletableFuture<Void> feeding = CompletableFuture.runAsync(() -> feed(process, samples));
        try {
            CompletableFuture<List<EngineOutput.Segment>> reading = CompletableFuture.supplyAsync(() -> read(process));
            if (!process.waitFor(config.chunkTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException("pocketsphinx took longer than " + config.chunkTimeout().toSeconds() + " s on a chunk");
            }
            if (process.exitValue() != 0) {
                throw new IOException("pocketsphinx exited with status " + process.exitValue());
            }
            return new EngineOutput("english", reading.join());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            process.destroyForcibly();
            feeding.cancel(true);
        }
    }

    private static void feed(Process process, float[] samples) {
        try (OutputStream in = process.getOutputStream()) {
            int perWrite = 4096;
            for (int from = 0; from < samples.length; from += perWrite) {
                in.write(Pcm16.encode(samples, from, Math.min(perWrite, samples.length - from)));
            }
        } catch (IOException e) {
            // The decoder stopped reading (it failed or was stopped); its exit status says what happened.
        }
    }

    /** Each utterance prints its hypothesis, then one line per word between {@code <s>} and {@code </s>}. */
    private static List<EngineOutput.Segment> read(Process process) {
        List<EngineOutput.Segment> segments = new ArrayList<>();
        List<TranscriptWord> words = new ArrayList<>();
        double logprobs = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                var word = TIMED_WORD.matcher(line.strip());
                if (!word.matches()) {
                    continue;
                }
                String token = VARIANT.matcher(word.group(1)).replaceFirst("");
                if (token.equals("</s>")) {
                    if (!words.isEmpty()) {
                        segments.add(EngineOutput.Segment.ofWords(words, logprobs / words.size()));
                    }
                    words = new ArrayList<>();
                    logprobs = 0;
                } else if (!isFiller(token)) {
                    words.add(new TranscriptWord(token, Double.parseDouble(word.group(2)), Double.parseDouble(word.group(3))));
                    logprobs += Math.log(Math.max(1e-6, Double.parseDouble(word.group(4))));
                }
            }
        } catch (IOException e) {
            // The process was stopped; its exit status is reported instead.
        }
        return segments;
    }

    /** Sentence marks, silence and noise fillers: {@code <s>}, {@code <sil>}, {@code [NOISE]}, {@code [SPEECH]}, … */
    private static boolean isFiller(String token) {
        return token.startsWith("<") || token.startsWith("[") || token.startsWith("+");
    }

    private static EngineStatus check(TranscriptionConfig.Pocketsphinx config) {
        Path models = config.modelDir();
        for (Path needed : List.of(models.resolve("en-us/mdef"), models.resolve("en-us.lm.bin"),
                models.resolve("cmudict-en-us.dict"))) {
            if (!Files.isReadable(needed)) {
                return EngineStatus.broken("pocketsphinx model file " + needed + " is missing (install pocketsphinx-en-us)");
            }
        }
        try {
            Process probe = new ProcessBuilder(config.binary().toString(), "-h").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!probe.waitFor(10, TimeUnit.SECONDS)) {
                probe.destroyForcibly();
                return EngineStatus.broken(config.binary() + " does not answer");
            }
        } catch (IOException e) {
            return EngineStatus.broken(config.binary() + " cannot be run (install pocketsphinx): " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return EngineStatus.broken("interrupted while checking " + config.binary());
        }
        return EngineStatus.ready("pocketsphinx en-us (" + models + ")");
    }
}
