package io.tiergate.diarization.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.tiergate.audio.AudioToolsConfig;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/** The diarization pod's settings: {@code tiergate.diarization.*}. */
@ConfigMapping(prefix = "tiergate.diarization")
public interface DiarizationConfig {

    /**
     * Which engine diarizes: {@code embedded}, the pure-Java engine that needs nothing downloaded;
     * {@code onnx-embeddings}, the same pipeline with a mounted ONNX speaker-embedding model ({@link Onnx}); or
     * {@code remote}, a diarization API: pyannoteAI's job API or a Hugging Face Inference Endpoint ({@link Remote}).
     */
    @WithDefault("embedded")
    EngineKind engine();

    /** The longest recording taken, in seconds (8 hours, as the router); longer ones get 413 naming {@code file}. */
    @WithDefault("28800")
    @Positive
    int maxAudioSeconds();

    /** The Silero VAD model (an ONNX file) that finds where anyone speaks; the remote engine does not load it. */
    @WithDefault("${user.home}/.cache/tiergate/models/silero_vad.onnx")
    Path vadModel();

    /**
     * How many 5-minute windows of a long recording the in-process engines diarize at once, each on a core of its own;
     * by default one per core. Each window in flight holds its samples and features (about 25 MB).
     */
    @Positive
    OptionalInt windowsAtOnce();

    /** The ffmpeg programs that read and decode uploads. */
    AudioToolsConfig ffmpeg();

    Onnx onnx();

    Overlap overlap();

    Remote remote();

    /** The APIs the remote engine can front. */
    enum RemoteApiKind {
        PYANNOTE_AI, HF_ENDPOINT
    }

    /** The engines this pod can run. */
    enum EngineKind {
        EMBEDDED, ONNX_EMBEDDINGS, REMOTE
    }

    /**
     * The {@code onnx-embeddings} engine: the embedded engine's speech regions, speaker changes, clustering and
     * resegmentation, with each segment's speaker embedding from an ONNX model run by ONNX Runtime. Models exported by
     * WeSpeaker, 3D-Speaker or pyannote fit: they take 80 log-mel filterbanks per 10 ms frame, shaped
     * {@code [batch, frames, 80]}, and give {@code [batch, dimension]}.
     */
    interface Onnx extends OnnxRuntime {
        /** The model file, e.g. mounted from the models volume. Without it the engine is not ready. */
        Optional<Path> modelPath();

        /** Segments embedded at once (each with {@code threads}). By default one per core on the CPU, one on a GPU. */
        OptionalInt slots();

        /**
         * The analysis window of the filterbanks: {@code hamming}, as WeSpeaker's and pyannote's exports compute them,
         * or {@code povey}, Kaldi's default, as 3D-Speaker's do. The rest is Kaldi's: 25 ms frames every 10 ms,
         * pre-emphasis 0.97, 20 Hz to 8 kHz, no dither.
         */
        @WithDefault("hamming")
        FilterbankWindow window();
    }

    /**
     * Overlapped speech for the in-process engines ({@code embedded} and {@code onnx-embeddings}): with a mounted
     * speaker-segmentation model they report where two people talk at once, and the second speaker's turns; without
     * one they give each moment to one speaker and report no overlap.
     */
    interface Overlap extends OnnxRuntime {
        /**
         * A speaker-segmentation model in ONNX format: pyannote's {@code segmentation-3.0} as exported (sherpa-onnx's
         * export among others), a waveform chunk in, powerset class scores per frame out. A model that cannot be
         * loaded leaves the pod not ready, saying why.
         */
        Optional<Path> modelPath();

        /**
         * Time between the starts of two chunks the model looks at (at most its chunk, 10 s for pyannote's): a shorter
         * step averages more looks at each moment and costs more runs.
         */
        @WithDefault("5s")
        Duration step();

        /** The mean probability of two speakers at once from which a moment counts as overlapped. */
        @WithDefault("0.5")
        @DecimalMin(value = "0", inclusive = false)
        @DecimalMax("1")
        double threshold();
    }

    /** How ONNX Runtime runs a mounted model. */
    interface OnnxRuntime {
        /** ONNX Runtime threads each run of the model uses; runs at once times threads should not exceed the cores. */
        @WithDefault("1")
        @Positive
        int threads();

        /**
         * Where the model runs: {@code cpu}, or {@code cuda}, which needs ONNX Runtime's GPU build on the class path
         * (the pod ships the CPU one); without it the model runs on the CPU and readiness says so.
         */
        @WithDefault("cpu")
        ExecutionProvider executionProvider();

        /** The CUDA device the model runs on with {@code execution-provider: cuda}. */
        @WithDefault("0")
        @Min(0)
        int cudaDevice();
    }

    /** Where an ONNX model runs. */
    enum ExecutionProvider {
        CPU, CUDA
    }

    /** The window each filterbank frame is weighted with. */
    enum FilterbankWindow {
        HAMMING, POVEY
    }

    /**
     * The {@code remote} engine: a diarization API does the work, pyannoteAI's job API (or a server beside the pod that
     * speaks it) or a Hugging Face Inference Endpoint running a pyannote pipeline. The recording is sent as 16 kHz
     * 16-bit WAV.
     */
    interface Remote {
        /**
         * Which API: {@code pyannote-ai}, whose job API takes the file in its media storage and is polled until the job
         * ends, or {@code hf-endpoint}, a Hugging Face Inference Endpoint with pyannote's handler, which answers the
         * one call that sends the file.
         */
        @WithDefault("pyannote-ai")
        RemoteApiKind api();

        /**
         * Where the API is. For {@code pyannote-ai} its base URL ({@code https://api.pyannote.ai} when unset; calls go
         * to {@code <base-url>/v1/diarize}, {@code /v1/jobs/{id}} and {@code /v1/media/input}); for
         * {@code hf-endpoint} the endpoint's own URL, without which the engine is not ready.
         */
        Optional<URI> baseUrl();

        /**
         * The API key (for {@code hf-endpoint} a Hugging Face token), sent as a bearer token and never logged; set it
         * from a Secret through
         * {@code TIERGATE_DIARIZATION_REMOTE_API_KEY}. Without it the engine is not ready.
         */
        Optional<String> apiKey();

        /**
         * The diarization model pyannoteAI is asked for ({@code precision-1}, {@code precision-2}); the API's default
         * when unset. An endpoint runs the model it was deployed with.
         */
        Optional<String> model();

        /** How long to wait between two looks at a running job (the API rate-limits polling). */
        @WithDefault("5s")
        Duration pollInterval();

        /**
         * The longest one recording may take, upload and polling included; then the pod answers 504. Below the
         * router's 30 minute timeout for the pod, so that the router hears why.
         */
        @WithDefault("25m")
        Duration timeout();

        /** The longest the API may take to accept a connection. */
        @WithDefault("10s")
        Duration connectTimeout();
    }
}
