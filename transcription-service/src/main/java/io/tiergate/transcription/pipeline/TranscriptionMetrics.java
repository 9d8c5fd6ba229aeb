package io.tiergate.transcription.pipeline;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;

/**
 * What the pod did, per engine: audio seconds, real-time factor, time in the engine, chunks and failures (Prometheus at
 * /q/metrics).
 */
@ApplicationScoped
public class TranscriptionMetrics {

    private final MeterRegistry registry;

    public TranscriptionMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A request answered: its audio length and how long transcribing it took. */
    void transcribed(String engine, double audioSeconds, double elapsedSeconds) {
        Counter.builder("tiergate.transcription.audio.seconds").description("Seconds of audio transcribed")
                .tag("engine", engine).register(registry).increment(audioSeconds);
        if (audioSeconds > 0) {
            DistributionSummary.builder("tiergate.transcription.real.time.factor")
                    .description("Processing time over audio time, per request").tag("engine", engine)
                    .publishPercentiles(0.5, 0.95).register(registry).record(elapsedSeconds / audioSeconds);
        }
    }

    /**
     * Time the engine spent on one chunk attempt. Against a request's own time it shows what the pod adds around its
     * engine (decoding, voice detection, stitching), measured under the same load as the engine's work.
     */
    void engineTime(String engine, long nanos) {
        Timer.builder("tiergate.transcription.engine").description("Time spent in the engine, per chunk attempt")
                .tag("engine", engine).register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A chunk's outcome: {@code ok}, {@code retried} (an attempt failed, another is made) or {@code failed}. */
    void chunk(String engine, String outcome) {
        Counter.builder("tiergate.transcription.chunks").description("Chunks sent to the engine, by outcome")
                .tag("engine", engine).tag("outcome", outcome).register(registry).increment();
    }

    /** A request that ended without a transcript, by reason. */
    public void failed(String engine, String reason) {
        Counter.builder("tiergate.transcription.failures").description("Requests that ended without a transcript")
                .tag("engine", engine).tag("reason", reason).register(registry).increment();
    }
}
