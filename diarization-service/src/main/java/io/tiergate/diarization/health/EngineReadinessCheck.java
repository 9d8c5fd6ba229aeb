package io.tiergate.diarization.health;

import io.tiergate.diarization.pipeline.DiarizationPipeline;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the engine and what it needs are loaded (the VAD model and, for {@code onnx-embeddings}, the
 * speaker-embedding model, and the speaker-segmentation model when {@code overlap.model-path} is set; for
 * {@code remote}, its API key); otherwise down, saying what is missing. {@code overlap} says whether the engine reports
 * overlapped speech.
 */
@Readiness
@ApplicationScoped
public class EngineReadinessCheck implements HealthCheck {

    private final DiarizationPipeline pipeline;

    public EngineReadinessCheck(DiarizationPipeline pipeline) {
        this.pipeline = pipeline;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("diarization-engine")
                .status(pipeline.ready())
                .withData("engine", pipeline.engineName())
                .withData("model", pipeline.model());
        pipeline.vadModel().ifPresent(vad -> response.withData("vad-model", vad.toString()));
        return response.withData("detail", pipeline.detail())
                .withData("overlap", pipeline.engine().map(engine -> engine.reportsOverlap()).orElse(false))
                .build();
    }
}
