package io.tiergate.diarization.pipeline;

import io.quarkus.runtime.ShutdownEvent;
import io.tiergate.audio.AudioInfo;
import io.tiergate.audio.AudioProbe;
import io.tiergate.audio.AudioTools;
import io.tiergate.audio.PcmDecoder;
import io.tiergate.audio.PcmStream;
import io.tiergate.audio.vad.SileroVad;
import io.tiergate.audio.vad.VadModelException;
import io.tiergate.diarization.config.DiarizationConfig;
import io.tiergate.diarization.engine.DiarizationEngine;
import io.tiergate.diarization.engine.DiarizedRecording;
import io.tiergate.diarization.engine.SpeakerCountHint;
import io.tiergate.diarization.engine.embedded.EmbeddedEngine;
import io.tiergate.diarization.engine.embedded.EmbeddedSettings;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * The pod's one engine and what feeds it, built once at start-up from {@code tiergate.diarization.*}. A part that
 * cannot be built (the VAD model missing or unreadable) leaves the pod running but not ready, saying why.
 */
@Singleton
public class DiarizationPipeline {

    private final String engineName;
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
        SileroVad loaded = null;
        String problem = null;
        try {
            loaded = SileroVad.load(config.vadModel());
        } catch (VadModelException e) {
            problem = "the VAD model cannot be used: " + e.getMessage();
        }
        this.vad = Optional.ofNullable(loaded);
        // Each engine finds speech with the VAD before it tells speakers apart, so none can run without it.
        this.engine = vad.map(model -> switch (config.engine()) {
            case EMBEDDED -> new EmbeddedEngine(model, EmbeddedEngine.VAD_SETTINGS, EmbeddedSettings.DEFAULTS);
        });
        this.engineName = engine.map(DiarizationEngine::name)
                .orElse(config.engine().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        this.detail = problem != null ? problem : "the " + engineName + " engine is loaded, with the VAD model "
                + config.vadModel();
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

    public Path vadModel() {
        return vadModel;
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
     * @throws io.tiergate.common.problem.ProblemException naming {@code file} when the recording cannot be decoded
     */
    public DiarizedRecording diarize(DiarizationEngine engine, Path file, AudioInfo audio, SpeakerCountHint hint)
            throws IOException {
        long started = System.nanoTime();
        DiarizedRecording result;
        try (PcmStream samples = decoder.open(file, audio)) {
            result = engine.diarize(samples, hint);
        }
        metrics.diarized(engine.name(), result.durationSeconds(), (System.nanoTime() - started) / 1e9);
        return result;
    }

    void stop(@Observes ShutdownEvent event) {
        vad.ifPresent(SileroVad::close);
    }
}
