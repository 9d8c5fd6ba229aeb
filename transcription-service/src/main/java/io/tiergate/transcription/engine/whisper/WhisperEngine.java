package io.tiergate.transcription.engine.whisper;

import io.github.givimad.whisperjni.WhisperContext;
import io.github.givimad.whisperjni.WhisperContextParams;
import io.github.givimad.whisperjni.WhisperFullParams;
import io.github.givimad.whisperjni.WhisperJNI;
import io.github.givimad.whisperjni.WhisperSamplingStrategy;
import io.github.givimad.whisperjni.WhisperState;
import io.tiergate.common.transcription.TranscriptWord;
import io.tiergate.transcription.config.TranscriptionConfig;
import io.tiergate.transcription.engine.EngineOutput;
import io.tiergate.transcription.engine.EngineRequest;
import io.tiergate.transcription.engine.EngineStatus;
import io.tiergate.transcription.engine.TranscriptionEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * whisper.cpp in the JVM through whisper-jni: one model (a {@code WhisperContext}) shared by every slot and one
 * {@code WhisperState} per slot, as whisper.cpp intends for concurrent use; all states are made up front because
 * whisper-jni keeps them in an unsynchronised native map.
 *
 * <p>Prompts are where whisper.cpp is fragile: it splits one into words with a recursive {@code std::regex} that
 * needs 200 to 300 bytes of stack per byte of the longest word (measured: a 4,000-letter word killed the JVM on a 1 MB
 * stack, 1,200 letters on a 256 KB one), then matches each word against the vocabulary in time growing at least with
 * the square of its length. So only the prompt's last {@value LONGEST_PROMPT_BYTES} bytes reach it (whisper reads only
 * the last 224 tokens anyway), and each slot decodes on a thread of its own with an 8 MB stack, whatever the caller's.
 *
 * <p>What whisper-jni 1.7.1 does not return, and what stands in: no token probabilities, so every segment's
 * {@code avg_logprob} and {@code no_speech_prob} are 0 (whisper.cpp already decodes again, hotter, a window whose
 * tokens average under -1, and 1.7.1 computes no no-speech probability); no token times, so words share their
 * segment's time in proportion to their letters and {@link #wordTimings()} is false; no detected language, which is
 * read from whisper.cpp's log line instead.
 */
public final class WhisperEngine implements TranscriptionEngine {

    private static final Logger LOG = Logger.getLogger(WhisperEngine.class);
    private static final int SAMPLE_RATE = 16_000;
    /**
     * whisper.cpp decodes nothing unless more than 100 mel frames ({@code 1 + (samples - 200) / 160}) remain, and reads
     * 200 samples past the start to pad the audio: shorter chunks get silence up to 1.025 s.
     */
    private static final int SHORTEST_INPUT = 16_400;
    /** About the 224 tokens whisper reads of English text, more of other scripts. */
    private static final int LONGEST_PROMPT_BYTES = 1_200;
    private static final long WORKER_STACK_BYTES = 8L << 20;
    /** OpenAI's rule for temperature 0: raise it by this step while a window decodes badly. */
    private static final float FALLBACK_TEMPERATURE_STEP = 0.2f;
    private static final long CLOSE_WAIT_SECONDS = 60;
    private static final Pattern DETECTED_LANGUAGE = Pattern.compile("auto-detected language: (\\w+)");
    private static final Pattern STATE_MEGABYTES = Pattern.compile("^whisper_init_state: .*=\\s*([0-9.]+) MB$");
    private static final Pattern GPU_BACKEND = Pattern.compile("^whisper_backend_init_gpu: using (\\w+) backend");
    private static final Pattern FAILURE = Pattern.compile("(?i)error|fail|invalid|wrong|unknown|missing");
    private static final Pattern WORD_EDGE_PUNCTUATION = Pattern.compile("^[^\\p{L}\\p{N}]+|[^\\p{L}\\p{N}]+$");

    private final WhisperJNI whisper = new WhisperJNI();
    private final int threads;
    private final int beamSize;
    private final int slots;
    private final Loaded loaded;
    private final EngineStatus status;
    private final Set<String> languages;
    private final BlockingQueue<WhisperState> idle = new LinkedBlockingQueue<>();
    private final ExecutorService workers;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * Loads the model and a state per slot; never throws: a model or native library that cannot be used leaves the
     * engine not ready, its status naming the file and the reason.
     */
    public WhisperEngine(TranscriptionConfig.Whisper config, int slots) {
        this.threads = config.threads();
        this.beamSize = config.beamSize();
        this.slots = Math.max(1, slots);
        Loaded model = null;
        EngineStatus outcome;
        try {
            model = load(config);
            outcome = EngineStatus.ready(model.description());
        } catch (IOException e) {
            outcome = EngineStatus.broken(e.getMessage());
        } catch (RuntimeException e) {
            outcome = EngineStatus.broken("whisper could not start: " + e);
        }
        this.loaded = model;
        this.status = outcome;
        this.languages = model == null || !model.file().multilingual() ? Set.of("en")
                : WhisperLanguages.first(model.file().languageCount());
        this.workers = model == null ? null : workers(this.slots);
    }

    /**
     * The slots to run when none are configured: on the CPU the cores divided by the threads each chunk uses; on a GPU
     * one, since every state also holds its buffers in GPU memory.
     */
    public static int defaultSlots(TranscriptionConfig.Whisper config) {
        return config.gpu() ? 1 : Math.max(1, Runtime.getRuntime().availableProcessors() / config.threads());
    }

    @Override
    public String name() {
        return "whisper";
    }

    /** {@code en} for an English-only model, otherwise every language its tokens cover (99, or 100 for large-v3). */
    @Override
    public Set<String> languages() {
        return languages;
    }

    @Override
    public boolean wordTimings() {
        return false;
    }

    @Override
    public boolean translates() {
        return loaded != null && loaded.file().multilingual();
    }

    @Override
    public int slots() {
        return slots;
    }

    @Override
    public EngineStatus status() {
        return status;
    }

    @Override
    public EngineOutput transcribe(float[] samples, EngineRequest request) throws IOException {
        if (loaded == null) {
            throw new IOException("whisper is not ready: " + status.detail());
        }
        WhisperFullParams params = params(request);
        Future<EngineOutput> output;
        try {
            output = workers.submit(() -> decode(samples, params, request));
        } catch (RejectedExecutionException e) {
            throw new IOException("the whisper engine is closed");
        }
        try {
            return output.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException failure) {
                throw failure;
            }
            throw new IOException("whisper failed on a chunk: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            output.cancel(false);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while whisper transcribed a chunk", e);
        }
    }

    /**
     * Frees the model and its states once the chunks under way are done. Should they outlast {@value CLOSE_WAIT_SECONDS}
     * s, the native memory is left to the process's exit: freeing a state in use would crash the JVM.
     */
    @Override
    public void close() {
        if (loaded == null || !closed.compareAndSet(false, true)) {
            return;
        }
        workers.shutdown();
        try {
            if (!workers.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warnf("whisper was still transcribing %d s after close; its native memory is left to the exit",
                        CLOSE_WAIT_SECONDS);
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        loaded.states().forEach(WhisperState::close);
        loaded.context().close();
    }

    private WhisperFullParams params(EngineRequest request) {
        WhisperFullParams params = new WhisperFullParams(
                beamSize > 1 ? WhisperSamplingStrategy.BEAN_SEARCH : WhisperSamplingStrategy.GREEDY);
        params.nThreads = threads;
        params.beamSearchBeamSize = beamSize;
        params.greedyBestOf = beamSize;
        params.language = languageCode(request);
        params.translate = loaded.file().multilingual() && request.translate();
        params.initialPrompt = request.prompt().filter(prompt -> !prompt.isBlank()).map(WhisperEngine::tail).orElse(null);
        params.temperature = (float) request.temperature();
        params.temperatureInc = request.temperature() == 0 ? FALLBACK_TEMPERATURE_STEP : 0;
        // Chunks are independent and a state serves many requests: no text may carry over from the last one.
        params.noContext = true;
        params.suppressNonSpeechTokens = true;
        params.printProgress = false;
        params.printTimestamps = false;
        return params;
    }

    /** {@code auto} lets whisper detect it; an English-only model has only English. */
    private String languageCode(EngineRequest request) {
        if (!loaded.file().multilingual()) {
            return "en";
        }
        Optional<String> code = request.language().map(language -> language.toLowerCase(Locale.ROOT));
        if (code.isPresent() && !languages.contains(code.get())) {
            // whisper.cpp would read a token that is no language; the caller checks languages() first
            throw new IllegalArgumentException("whisper does not know the language '" + code.get() + "'");
        }
        return code.orElse("auto");
    }

    /** The prompt's end, whole characters of at most {@value LONGEST_PROMPT_BYTES} bytes as whisper-jni passes them. */
    static String tail(String prompt) {
        int start = prompt.length();
        int bytes = 0;
        while (start > 0) {
            int codePoint = prompt.codePointBefore(start);
            // JNI's modified UTF-8 writes NUL in two bytes and a character beyond the BMP as two 3-byte surrogates
            bytes += codePoint != 0 && codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 6;
            if (bytes > LONGEST_PROMPT_BYTES) {
                break;
            }
            start -= Character.charCount(codePoint);
        }
        return prompt.substring(start);
    }

    /** Runs on a worker, which always finds an idle state: there are as many of each as slots. */
    private EngineOutput decode(float[] samples, WhisperFullParams params, EngineRequest request)
            throws IOException, InterruptedException {
        WhisperState state = idle.take();
        try {
            float[] input = samples.length >= SHORTEST_INPUT ? samples : Arrays.copyOf(samples, SHORTEST_INPUT);
            List<String> log = new ArrayList<>();
            int result = WhisperNatives.collecting(log,
                    () -> whisper.fullWithState(loaded.context(), state, params, input, input.length));
            if (result != 0) {
                throw new IOException("whisper.cpp failed on a chunk (error " + result + ")" + reason(log));
            }
            double seconds = samples.length / (double) SAMPLE_RATE;
            List<EngineOutput.Segment> segments = new ArrayList<>();
            for (int i = 0, count = whisper.fullNSegmentsFromState(state); i < count; i++) {
                String text = whisper.fullGetSegmentTextFromState(state, i);
                if (text != null && !text.isBlank()) {
                    // whisper's last timestamp may fall past the audio; 10 ms units
                    double start = Math.min(whisper.fullGetSegmentTimestamp0FromState(state, i) / 100.0, seconds);
                    double end = Math.max(start, Math.min(whisper.fullGetSegmentTimestamp1FromState(state, i) / 100.0, seconds));
                    segments.add(new EngineOutput.Segment(start, end, text, 0, 0,
                            request.words() ? spread(text, start, end) : List.of()));
                }
            }
            return new EngineOutput(spokenLanguage(params, log), segments);
        } finally {
            idle.add(state);
        }
    }

    private String spokenLanguage(WhisperFullParams params, List<String> log) {
        String code = params.language;
        if (code.equals("auto")) {
            code = log.stream().map(DETECTED_LANGUAGE::matcher).filter(Matcher::find).map(found -> found.group(1))
                    .findFirst().orElse("");
        }
        return WhisperLanguages.name(code).orElse(null);
    }

    /** The segment's words, sharing its time in proportion to their letters. */
    static List<TranscriptWord> spread(String text, double start, double end) {
        List<String> words = new ArrayList<>();
        int letters = 0;
        for (String token : text.strip().split("\\s+")) {
            String word = WORD_EDGE_PUNCTUATION.matcher(token).replaceAll("");
            if (!word.isEmpty()) {
                words.add(word);
                letters += word.length();
            }
        }
        List<TranscriptWord> timed = new ArrayList<>(words.size());
        double perLetter = letters == 0 ? 0 : (end - start) / letters;
        double at = start;
        for (String word : words) {
            double next = timed.size() == words.size() - 1 ? end : at + word.length() * perLetter;
            timed.add(new TranscriptWord(word, at, next));
            at = next;
        }
        return List.copyOf(timed);
    }

    private Loaded load(TranscriptionConfig.Whisper config) throws IOException {
        Path path = config.modelPath()
                .orElseThrow(() -> new IOException("tiergate.transcription.whisper.model-path is not set"));
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new IOException("the whisper model " + path + " does not exist or cannot be read");
        }
        WhisperModelFile file;
        try {
            file = WhisperModelFile.check(path);
        } catch (WhisperModelFile.InvalidModelException e) {
            throw new IOException("the whisper model " + path + " " + e.getMessage(), e);
        } catch (IOException e) {
            throw new IOException("the whisper model " + path + " cannot be read: " + e.getMessage(), e);
        }
        Optional<String> nativeFailure = WhisperNatives.load(config.nativeDir());
        if (nativeFailure.isPresent()) {
            throw new IOException(nativeFailure.get() + "; the whisper model " + path + " is not loaded");
        }
        WhisperContextParams contextParams = new WhisperContextParams();
        contextParams.useGPU = config.gpu();
        List<String> log = new ArrayList<>();
        WhisperContext context = WhisperNatives.collecting(log, () -> whisper.initNoState(path, contextParams));
        if (context == null) {
            throw new IOException("whisper.cpp could not load the model " + path + reason(log));
        }
        List<WhisperState> states = new ArrayList<>();
        log.clear();
        for (int i = 0; i < slots; i++) {
            WhisperState state = WhisperNatives.collecting(log, () -> whisper.initState(context));
            if (state == null) {
                states.forEach(WhisperState::close);
                context.close();
                throw new IOException("whisper.cpp could not make room to transcribe with " + path + " (" + slots
                        + " slots)" + reason(log));
            }
            states.add(state);
        }
        idle.addAll(states);
        return new Loaded(file, context, List.copyOf(states), describe(path, file, config, log));
    }

    /** E.g. {@code whisper base.en (f16) /models/ggml-base.en.bin on the CPU, 2 slots of 2 threads, 150 MB per slot}. */
    private String describe(Path path, WhisperModelFile file, TranscriptionConfig.Whisper config, List<String> stateLog) {
        Optional<String> gpu = stateLog.stream().map(GPU_BACKEND::matcher).filter(Matcher::find)
                .map(found -> found.group(1)).findFirst();
        double megabytes = stateLog.stream().map(STATE_MEGABYTES::matcher).filter(Matcher::find)
                .mapToDouble(found -> Double.parseDouble(found.group(1))).sum() / slots;
        String device = gpu.map(backend -> "on " + backend).orElse("on the CPU");
        if (config.gpu() && gpu.isEmpty()) {
            device += " (gpu is on, but these natives have no GPU backend)";
            LOG.warn("tiergate.transcription.whisper.gpu is on, but whisper's natives have no GPU backend: running on the CPU");
        }
        return String.format(Locale.ROOT, "whisper %s (%s) %s %s, %d %s of %d threads, %.0f MB per slot",
                file.size(), file.weights(), path, device, slots, slots == 1 ? "slot" : "slots", threads, megabytes);
    }

    /** The first line of whisper.cpp's log that says what went wrong (the last one only says that something did). */
    private static String reason(List<String> log) {
        return log.stream().filter(line -> FAILURE.matcher(line).find()).findFirst()
                .or(() -> log.stream().reduce((first, second) -> second)).map(line -> ": " + line).orElse("");
    }

    private static ExecutorService workers(int slots) {
        AtomicInteger number = new AtomicInteger();
        return Executors.newFixedThreadPool(slots, task -> {
            Thread thread = new Thread(null, task, "whisper-" + number.incrementAndGet(), WORKER_STACK_BYTES);
            thread.setDaemon(true);
            return thread;
        });
    }

    private record Loaded(WhisperModelFile file, WhisperContext context, List<WhisperState> states, String description) {
    }
}
