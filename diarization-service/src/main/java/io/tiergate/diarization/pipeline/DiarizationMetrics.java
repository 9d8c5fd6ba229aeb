package io.tiergate.diarization.pipeline;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/** What the pod did, per engine: audio seconds, real-time factor and failures (Prometheus at /q/metrics). */
@ApplicationScoped
public class DiarizationMetrics {

    private final MeterRegistry registry;

    public DiarizationMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A recording diarized: its length and how long diarizing it took. */
    void diarized(String engine, double audioSeconds, double elapsedSeconds) {
        Counter.builder("tiergate.diarization.audio.seconds").description("Seconds of audio diarized")
                .tag("engine", engine).register(registry).increment(audioSeconds);
        if (audioSeconds > 0) {
            DistributionSummary.builder("tiergate.diarization.real.time.factor")
                    .description("Processing time over audio time, per request").tag("engine", engine)
                    .publishPercentiles(0.5, 0.95).register(registry).record(elapsedSeconds / audioSeconds);
        }
    }

    /** A request that ended without a diarization through a fault of the pod, by reason. */
    public void failed(String engine, String reason) {
        Counter.builder("tiergate.diarization.failures").description("Requests that ended without a diarization")
                .tag("engine", engine).tag("reason", reason).register(registry).increment();
    }
}
