package io.tiergate.diarization.pipeline;

import io.quarkus.runtime.ShutdownEvent;
import io.tiergate.audio.AudioInfo;
import io.tiergate.audio.AudioProbe;
import io.tiergate.audio.AudioTools;
import io.tiergate.audio.PcmDecoder;
import io.tiergate.audio.PcmStream;
import io.tiergate.audio.vad.SileroVad;
import io.tiergate.audio.vad.VadModelException;
import io.tiergate.common.problem.ProblemException;
import io.tiergate.diarization.config.DiarizationConfig;
import io.tiergate.diarization.engine.DiarizationEngine;
import io.tiergate.diarization.engine.DiarizedRecording;
import io.tiergate.diarization.engine.SpeakerCountHint;
import io.tiergate.diarization.engine.embedded.EmbeddedEngine;
import io.tiergate.diarization.engine.embedded.EmbeddedSettings;
import io.tiergate.diarization.engine.embedded.features.FeatureExtractor;
import io.tiergate.diarization.engine.onnx.OnnxModelException;
import io.tiergate.diarization.engine.onnx.OnnxRuntimeSettings;
import io.tiergate.diarization.engine.embedded.overlap.OverlapDetector;
import io.tiergate.diarization.engine.onnx.OnnxSegmentEmbedder;
import io.tiergate.diarization.engine.onnx.OnnxSegmentationModel;
import io.tiergate.diarization.engine.onnx.SegmentationOverlapDetector;
import io.tiergate.diarization.engine.onnx.OnnxSpeakerModel;
import io.tiergate.diarization.engine.remote.RemoteEngine;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The pod's one engine and what feeds it, built once at start-up from {@code tiergate.diarization.*}. A part that
 * cannot be built (the VAD model, the speaker-embedding or the speaker-segmentation model missing or unusable, the
 * remote API key unset) leaves the pod running but not ready, saying why.
 */
@Singleton
public class DiarizationPipeline {

    private final String engineName;
    private final String model;
    private final Optional<DiarizationEngine> engine;
    private final Optional<SileroVad> vad;
    private final String detail;
    private final Path vadModel;
    private final AudioProbe probe;
    private final PcmDecoder decoder;
    private final int maxAudioSeconds;
    private final DiarizationMetrics metrics;

    public DiarizationPipeline(DiarizationConfig config, DiarizationMetrics metrics) {
        AudioTools tools = config.ffmpeg().tools();
        this.probe = new AudioProbe(tools);
        this.decoder = new PcmDecoder(tools);
        this.maxAudioSeconds = config.maxAudioSeconds();
        this.metrics = metrics;
        this.vadModel = config.vadModel();
        this.engineName = config.engine().name().toLowerCase(Locale.ROOT).replace('_', '-');
        Built built = switch (config.engine()) {
            case EMBEDDED -> local(config, Optional.empty(), vad -> new EmbeddedEngine(EmbeddedEngine.NAME, vad,
                    EmbeddedEngine.VAD_SETTINGS, EmbeddedSettings.DEFAULTS,
                    EmbeddedEngine.acousticEmbedder(EmbeddedSettings.DEFAULTS), overlapDetector(config.overlap()),
                    windowsAtOnce(config)));
            case ONNX_EMBEDDINGS -> onnx(config);
            case REMOTE -> remote(config.remote());
        };
        this.engine = built.engine();
        this.vad = built.vad();
        this.model = built.model();
        this.detail = built.detail();
    }

    /**
     * What start-up built.
     *
     * @param model  what the engine's speaker embeddings or answers come from, whether or not it was built
     * @param detail what is loaded, or why the engine is not
     */
    private record Built(Optional<DiarizationEngine> engine, Optional<SileroVad> vad, String model, String detail) {
    }

    /**
     * An in-process engine: it finds speech with the VAD before it tells speakers apart, so none runs without it.
     *
     * @param model the model file it loads, if any; otherwise readiness names its embeddings
     */
    private Built local(DiarizationConfig config, Optional<Path> model, Function<SileroVad, EmbeddedEngine> build) {
        String modelFile = model.map(Path::toString).orElse("");
        SileroVad loaded;
        try {
            loaded = SileroVad.load(config.vadModel());
        } catch (VadModelException e) {
            return new Built(Optional.empty(), Optional.empty(), modelFile, "the VAD model cannot be used: "
                    + e.getMessage());
        }
        EmbeddedEngine built;
        try {
            built = build.apply(loaded);
        } catch (EngineNotBuilt e) {
            loaded.close();
            return new Built(Optional.empty(), Optional.empty(), modelFile, e.getMessage());
        }
        return new Built(Optional.of(built), Optional.of(loaded), model.isPresent() ? modelFile : built.embedding(),
                "the " + engineName + " engine is loaded, embedding segments with " + built.embedding()
                        + ", with the VAD model " + config.vadModel() + built.overlapDetection()
                        .map(detection -> ", finding overlapped speech with " + detection)
                        .orElse(", finding no overlapped speech (set tiergate.diarization.overlap.model-path)"));
    }

    private Built onnx(DiarizationConfig config) {
        DiarizationConfig.Onnx onnx = config.onnx();
        if (onnx.modelPath().isEmpty()) {
            return new Built(Optional.empty(), Optional.empty(), "", "the onnx-embeddings engine needs a"
                    + " speaker-embedding model: set tiergate.diarization.onnx.model-path");
        }
        Path file = onnx.modelPath().get();
        OnnxRuntimeSettings runtime = runtime(onnx);
        int slots = onnx.slots().orElse(runtime.cuda() ? 1 : Runtime.getRuntime().availableProcessors());
        return local(config, Optional.of(file), vad -> {
            Optional<OverlapDetector> overlap = overlapDetector(config.overlap());
            OnnxSpeakerModel model;
            try {
                model = OnnxSpeakerModel.load(file, runtime);
            } catch (OnnxModelException e) {
                overlap.ifPresent(OverlapDetector::close);
                throw new EngineNotBuilt(e.getMessage());
            }
            return new EmbeddedEngine(engineName, vad, EmbeddedEngine.VAD_SETTINGS, EmbeddedSettings.DEFAULTS,
                    new OnnxSegmentEmbedder(model, FeatureExtractor.Window.valueOf(onnx.window().name()), slots),
                    overlap, windowsAtOnce(config));
        });
    }

    /** The overlap detector of a mounted speaker-segmentation model, if one is set. */
    private static Optional<OverlapDetector> overlapDetector(DiarizationConfig.Overlap overlap) {
        if (overlap.modelPath().isEmpty()) {
            return Optional.empty();
        }
        long stepSamples = overlap.step().toMillis() * FeatureExtractor.SAMPLE_RATE / 1000;
        if (stepSamples < 1) {
            throw new EngineNotBuilt("tiergate.diarization.overlap.step must be longer than a sample, not "
                    + overlap.step());
        }
        try {
            OnnxSegmentationModel model = OnnxSegmentationModel.load(overlap.modelPath().get(), runtime(overlap));
            return Optional.of(new SegmentationOverlapDetector(model, (int) Math.min(Integer.MAX_VALUE, stepSamples),
                    overlap.threshold()));
        } catch (OnnxModelException e) {
            throw new EngineNotBuilt(e.getMessage());
        }
    }

    private static OnnxRuntimeSettings runtime(DiarizationConfig.OnnxRuntime runtime) {
        return new OnnxRuntimeSettings(runtime.threads(),
                runtime.executionProvider() == DiarizationConfig.ExecutionProvider.CUDA, runtime.cudaDevice());
    }

    private static int windowsAtOnce(DiarizationConfig config) {
        return config.windowsAtOnce().orElse(Runtime.getRuntime().availableProcessors());
    }

    /** The remote engine needs no VAD: the API finds speech itself. */
    private Built remote(DiarizationConfig.Remote remote) {
        String where = RemoteEngine.address(remote).map(URI::toString).orElse("");
        if (where.isEmpty()) {
            return new Built(Optional.empty(), Optional.empty(), where, "the remote engine's Hugging Face endpoint"
                    + " has no URL: set tiergate.diarization.remote.base-url");
        }
        if (remote.apiKey().filter(key -> !key.isBlank()).isEmpty()) {
            return new Built(Optional.empty(), Optional.empty(), where, "the remote engine needs"
                    + " an API key: set tiergate.diarization.remote.api-key (TIERGATE_DIARIZATION_REMOTE_API_KEY)");
        }
        RemoteEngine built = RemoteEngine.of(remote);
        return new Built(Optional.of(built), Optional.empty(), where,
                "the remote engine fronts " + built.describe());
    }

    /** A model that could not be loaded, thrown out of an engine's construction. */
    private static final class EngineNotBuilt extends RuntimeException {
        EngineNotBuilt(String message) {
            super(message, null, false, false);
        }
    }

    /** The engine's name, whether or not it could be built. */
    public String engineName() {
        return engineName;
    }

    /** Empty while the pod is not ready. */
    public Optional<DiarizationEngine> engine() {
        return engine;
    }

    public boolean ready() {
        return engine.isPresent();
    }

    /** What is loaded, or why the pod is not ready. */
    public String detail() {
        return detail;
    }

    /** The VAD model file, when the engine loads one (the remote engine does not). */
    public Optional<Path> vadModel() {
        return engineName.equals(RemoteEngine.NAME) ? Optional.empty() : Optional.of(vadModel);
    }

    /** What the engine's speaker embeddings or answers come from (a model file, an API), for readiness. */
    public String model() {
        return model;
    }

    /**
     * The recording's format and duration.
     *
     * @throws io.tiergate.common.problem.ProblemException naming {@code file} when the recording is refused
     */
    public AudioInfo probe(Path file) throws IOException {
        return probe.probe(file, maxAudioSeconds);
    }

    /**
     * Diarizes a recording the probe took, decoding it as a stream: the engine holds a window of it at a time.
     *
     * @throws io.tiergate.common.problem.ProblemException naming {@code file} when the recording cannot be decoded; a
     *                                                     5xx one when a remote engine fails or times out
     */
    public DiarizedRecording diarize(DiarizationEngine engine, Path file, AudioInfo audio, SpeakerCountHint hint)
            throws IOException {
        long started = System.nanoTime();
        DiarizedRecording result;
        try (PcmStream samples = decoder.open(file, audio)) {
            result = engine.diarize(samples, hint);
        } catch (ProblemException e) {
            if (e.problem().status() >= 500) {
                metrics.failed(engine.name(), e.problem().type().substring(e.problem().type().lastIndexOf('/') + 1));
            }
            throw e;
        }
        metrics.diarized(engine.name(), result.durationSeconds(), (System.nanoTime() - started) / 1e9);
        return result;
    }

    void stop(@Observes ShutdownEvent event) {
        engine.ifPresent(DiarizationEngine::close);
        vad.ifPresent(SileroVad::close);
    }
}
