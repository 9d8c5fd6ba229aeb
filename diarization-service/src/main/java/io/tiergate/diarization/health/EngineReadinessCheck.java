package io.tiergate.diarization.health;

import io.tiergate.diarization.pipeline.DiarizationPipeline;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the engine and the VAD model are loaded; otherwise down, saying what is missing. */
@Readiness
@ApplicationScoped
public class EngineReadinessCheck implements HealthCheck {

    private final DiarizationPipeline pipeline;

    public EngineReadinessCheck(DiarizationPipeline pipeline) {
        this.pipeline = pipeline;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("diarization-engine")
                .status(pipeline.ready())
                .withData("engine", pipeline.engineName())
                .withData("vad-model", pipeline.vadModel().toString())
                .withData("detail", pipeline.detail())
                .withData("overlap", pipeline.engine().map(engine -> engine.reportsOverlap()).orElse(false))
                .build();
    }
}
