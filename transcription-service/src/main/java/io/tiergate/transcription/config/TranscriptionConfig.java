package io.tiergate.transcription.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.tiergate.audio.AudioToolsConfig;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/** The transcription pod's settings: {@code tiergate.transcription.*}. */
@ConfigMapping(prefix = "tiergate.transcription")
public interface TranscriptionConfig {

    /** Which engine transcribes: {@code pocketsphinx}, {@code sphinx4}, {@code whisper} or {@code openai}. */
    @WithDefault("pocketsphinx")
    EngineKind engine();

    /** The longest recording taken, in seconds (8 hours, as the router); longer ones get 413 naming {@code file}. */
    @WithDefault("28800")
    @Positive
    int maxAudioSeconds();

    /**
     * How many chunks are transcribed at once. By default the engine's own slot count: one per core for the CPU
     * engines; for whisper, the cores divided by its threads on the CPU, one on a GPU.
     */
    OptionalInt slots();

    /** How many times a chunk is tried before the whole request fails: a result never has a silent hole. */
    @WithDefault("3")
    @Min(1)
    @Max(10)
    int chunkAttempts();

    Chunking chunking();

    /** The Silero VAD model (an ONNX file) that finds the silences to cut at. */
    @WithDefault("${user.home}/.cache/tiergate/models/silero_vad.onnx")
    Path vadModel();

    /** The ffmpeg programs that read and decode uploads. */
    AudioToolsConfig ffmpeg();

    Pocketsphinx pocketsphinx();

    Sphinx4 sphinx4();

    Whisper whisper();

    Remote remote();

    /** The engines this pod can run. */
    enum EngineKind {
        POCKETSPHINX, SPHINX4, WHISPER, OPENAI
    }

    /**
     * Where long audio is cut: at pauses Silero VAD finds, so no word is cut in two. Each key left unset takes the
     * engine's own length: 25 s aiming at 30 s at most for whisper-class engines (they read 30 s windows), 55 s and 60 s
     * for PocketSphinx, whose decoders hear better once their cepstral mean has adapted to the recording.
     */
    interface Chunking {
        /** Once a chunk is this long it ends at the next pause. */
        Optional<Duration> target();

        /** No chunk is longer: speech with no pause is cut here. */
        Optional<Duration> max();

        /** A longer pause ends a chunk early, so no chunk carries long silence an engine would bill or invent text in. */
        Optional<Duration> maxSilence();
    }

    /** CMU PocketSphinx, the C engine, in the JVM with the en-us model from the OS packages. */
    interface Pocketsphinx {
        /**
         * The directory holding {@code libpocketsphinx.so.3} and {@code libsphinxbase.so.3} (PocketSphinx 5prealpha, as
         * Debian's {@code pocketsphinx} package installs them); the OS library path when unset.
         */
        Optional<Path> libraryDir();

        /** The directory holding {@code en-us/} (acoustic model), {@code en-us.lm.bin} and {@code cmudict-en-us.dict}. */
        @WithDefault("/usr/share/pocketsphinx/model/en-us")
        Path modelDir();
    }

    /** CMU Sphinx 4, pure Java, with the en-us model from its data jar. */
    interface Sphinx4 {
        @WithDefault("resource:/edu/cmu/sphinx/models/en-us/en-us")
        String acousticModel();

        @WithDefault("resource:/edu/cmu/sphinx/models/en-us/cmudict-en-us.dict")
        String dictionary();

        @WithDefault("resource:/edu/cmu/sphinx/models/en-us/en-us.lm.bin")
        String languageModel();

        /**
         * How many hypotheses the search keeps per frame. Sphinx 4's own default (20000, with every token kept for the
         * word lattice) holds tokens for the whole utterance: on 30 s of noisy, overlapping speech with no pause it ran
         * past a 1 GB heap after 20 minutes. Fewer bound both its memory and its time; below 100 its lattice search
         * recurses past the stack.
         */
        @WithDefault("10000")
        @Min(100)
        int absoluteBeamWidth();
    }

    /** whisper.cpp in the JVM (whisper-jni 1.7.1, which bundles whisper.cpp 1.7.1) with a ggml model file. */
    interface Whisper {
        /**
         * The ggml model file, e.g. {@code ggml-base.en.bin} mounted from a volume (whisper.cpp's {@code f16} or
         * quantized files; not GGUF). Without it the engine is not ready.
         */
        Optional<Path> modelPath();

        /** CPU threads each chunk uses; slots times threads should not exceed the pod's cores. */
        @WithDefault("2")
        @Positive
        int threads();

        /**
         * Whether whisper.cpp may use a GPU. Only natives built with a GPU backend have one (those in whisper-jni's jar
         * are CPU-only; see {@code native-dir}); without one it runs on the CPU and readiness says so.
         */
        @WithDefault("false")
        boolean gpu();

        /**
         * Candidates decoded at once: the beam width at temperature 0, and the samples drawn at higher temperatures
         * (whisper's best-of). 5 is whisper.cpp's default; 1 decodes greedily: faster, a little less accurate.
         */
        @WithDefault("5")
        @Min(1)
        @Max(8)
        int beamSize();

        /**
         * A directory holding {@code libwhisper-jni.so} with the {@code libwhisper.so.1} and {@code libggml.so} it
         * loads, used instead of the CPU-only natives extracted from whisper-jni's jar: a CUDA build for {@code gpu},
         * or natives baked into an image whose {@code java.io.tmpdir} is not writable.
         */
        Optional<Path> nativeDir();
    }

    /** An OpenAI-compatible transcription server beside the pod (speaches, vLLM, whisper.cpp's server). */
    interface Remote {
        /** Its base URL; requests go to {@code <base-url>/v1/audio/transcriptions}. */
        Optional<URI> baseUrl();

        /** Sent as a bearer token when set. */
        Optional<String> apiKey();

        @WithDefault("whisper-1")
        String model();

        /** Whether the server translates ({@code /v1/audio/translations}). */
        @WithDefault("false")
        boolean translates();

        /** Chunks sent at once. */
        @WithDefault("4")
        @Positive
        int slots();

        /** The longest one chunk's call may take, the whole answer included; then the chunk is tried again. */
        @WithDefault("300s")
        Duration timeout();
    }
}
