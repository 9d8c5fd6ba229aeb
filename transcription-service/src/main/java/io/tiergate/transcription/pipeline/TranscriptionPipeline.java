package io.tiergate.transcription.pipeline;

import io.quarkus.runtime.ShutdownEvent;
import io.tiergate.audio.AudioProbe;
import io.tiergate.audio.AudioTools;
import io.tiergate.audio.PcmDecoder;
import io.tiergate.audio.chunk.ChunkSettings;
import io.tiergate.audio.chunk.Chunker;
import io.tiergate.audio.vad.SileroVad;
import io.tiergate.audio.vad.VadModelException;
import io.tiergate.audio.vad.VadSettings;
import io.tiergate.transcription.config.TranscriptionConfig;
import io.tiergate.transcription.engine.EngineStatus;
import io.tiergate.transcription.engine.TranscriptionEngine;
import io.tiergate.transcription.engine.pocketsphinx.PocketsphinxEngine;
import io.tiergate.transcription.engine.remote.OpenAiRemoteEngine;
import io.tiergate.transcription.engine.sphinx4.Sphinx4Engine;
import io.tiergate.transcription.engine.whisper.WhisperEngine;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The pod's one engine and what feeds it, built once at start-up from {@code tiergate.transcription.*}. A part that
 * cannot be built (a missing model, a missing program) leaves the pod running but not ready, saying why.
 */
@Singleton
public class TranscriptionPipeline {

    private final TranscriptionEngine engine;
    private final AudioProbe probe;
    private final Optional<ChunkedTranscriber> transcriber;
    private final EngineStatus status;
    private final ExecutorService workers;
    private final int maxAudioSeconds;

    public TranscriptionPipeline(TranscriptionConfig config, TranscriptionMetrics metrics) {
        int cores = Runtime.getRuntime().availableProcessors();
        this.engine = switch (config.engine()) {
            case POCKETSPHINX -> new PocketsphinxEngine(config.pocketsphinx(), config.slots().orElse(cores));
            case SPHINX4 -> new Sphinx4Engine(config.sphinx4(), config.slots().orElse(cores));
            case WHISPER -> new WhisperEngine(config.whisper(),
                    config.slots().orElse(WhisperEngine.defaultSlots(config.whisper())));
            case OPENAI -> new OpenAiRemoteEngine(config.remote(), config.slots().orElse(config.remote().slots()));
        };
        AudioTools tools = config.ffmpeg().tools();
        this.probe = new AudioProbe(tools);
        this.maxAudioSeconds = config.maxAudioSeconds();
        this.workers = Executors.newFixedThreadPool(engine.slots(), runnable -> {
            Thread thread = new Thread(runnable, "transcription-chunk");
            thread.setDaemon(true);
            return thread;
        });
        Chunker chunker = null;
        EngineStatus built = engine.status();
        try {
            ChunkSettings preferred = engine.chunking();
            chunker = new Chunker(SileroVad.load(config.vadModel()), VadSettings.DEFAULTS, new ChunkSettings(
                    config.chunking().target().orElse(preferred.target()), config.chunking().max().orElse(preferred.max()),
                    config.chunking().maxSilence().orElse(preferred.maxSilence())));
        } catch (VadModelException e) {
            built = EngineStatus.broken("the VAD model cannot be used: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            built = EngineStatus.broken("tiergate.transcription.chunking does not fit together: " + e.getMessage());
        }
        this.status = built;
        this.transcriber = chunker == null ? Optional.empty() : Optional.of(new ChunkedTranscriber(engine,
                new PcmDecoder(tools), chunker, workers, engine.slots(), config.chunkAttempts(), metrics));
    }

    public TranscriptionEngine engine() {
        return engine;
    }

    public AudioProbe probe() {
        return probe;
    }

    public int maxAudioSeconds() {
        return maxAudioSeconds;
    }

    /** Ready when the engine's model and the VAD model are loaded. */
    public EngineStatus status() {
        return status;
    }

    /** Empty while the pod is not ready. */
    public Optional<ChunkedTranscriber> transcriber() {
        return status.ready() ? transcriber : Optional.empty();
    }

    void stop(@Observes ShutdownEvent event) {
        workers.shutdownNow();
        engine.close();
    }
}
