package io.tiergate.diarization.engine.remote;

import io.tiergate.audio.PcmDecoder;
import io.tiergate.audio.SampleSource;
import io.tiergate.audio.WavFile;
import io.tiergate.diarization.config.DiarizationConfig;
import io.tiergate.diarization.engine.DiarizationEngine;
import io.tiergate.diarization.engine.DiarizedRecording;
import io.tiergate.diarization.engine.SamplesInMemory;
import io.tiergate.diarization.engine.SpeakerCountHint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The {@code remote} engine: a diarization API does the work. The recording, as the pod decoded it, is written to a
 * 16 kHz 16-bit WAV file and sent to the API, and everything, sending included, ends within
 * {@code tiergate.diarization.remote.timeout}. Each API the pod can front is a subclass, chosen by
 * {@code tiergate.diarization.remote.api}.
 */
public abstract sealed class RemoteEngine implements DiarizationEngine permits PyannoteAiEngine, HfEndpointEngine {

    public static final String NAME = "remote";

    protected final DiarizationConfig.Remote config;
    final RemoteApi api;

    RemoteEngine(String apiName, DiarizationConfig.Remote config) {
        this.config = config;
        this.api = new RemoteApi(apiName, config.connectTimeout(), config.timeout());
    }

    /** The engine for the configured API; the configuration has its key (the pipeline checks). */
    public static RemoteEngine of(DiarizationConfig.Remote config) {
        return switch (config.api()) {
            case PYANNOTE_AI -> new PyannoteAiEngine(config);
            case HF_ENDPOINT -> new HfEndpointEngine(config);
        };
    }

    /** Where the configured API is: {@code base-url}, or pyannoteAI's own API when it names none. */
    public static Optional<URI> address(DiarizationConfig.Remote config) {
        return switch (config.api()) {
            case PYANNOTE_AI -> Optional.of(config.baseUrl().orElse(PyannoteAiEngine.API));
            case HF_ENDPOINT -> config.baseUrl();
        };
    }

    @Override
    public String name() {
        return NAME;
    }

    /** The APIs fronted keep overlapping turns, which the pod reports. */
    @Override
    public boolean reportsOverlap() {
        return true;
    }

    /** The API and how it is called, for readiness. */
    public abstract String describe();

    @Override
    public DiarizedRecording diarize(float[] samples, SpeakerCountHint hint) {
        try {
            return diarize(new SamplesInMemory(samples), hint);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public DiarizedRecording diarize(SampleSource source, SpeakerCountHint hint) throws IOException {
        long deadline = System.nanoTime() + config.timeout().toNanos();
        Path wav = Files.createTempFile("tiergate-diarization-", ".wav");
        try {
            long samples = WavFile.write(source, wav);
            if (samples == 0) {
                return new DiarizedRecording(0, List.of(), List.of());
            }
            return diarizeFile(wav, samples / (double) PcmDecoder.SAMPLE_RATE, hint, deadline);
        } finally {
            Files.deleteIfExists(wav);
        }
    }

    /**
     * Has the API diarize the recording's WAV file.
     *
     * @param deadline {@link System#nanoTime()} by which it must have answered
     */
    abstract DiarizedRecording diarizeFile(Path wav, double duration, SpeakerCountHint hint, long deadline)
            throws IOException;
}
