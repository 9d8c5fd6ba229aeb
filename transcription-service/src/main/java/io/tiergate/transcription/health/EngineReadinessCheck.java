package io.tiergate.transcription.health;

import io.tiergate.transcription.pipeline.TranscriptionPipeline;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the engine and the VAD model are loaded; otherwise down, saying what is missing. */
@Readiness
@ApplicationScoped
public class EngineReadinessCheck implements HealthCheck {

    private final TranscriptionPipeline pipeline;

    public EngineReadinessCheck(TranscriptionPipeline pipeline) {
        this.pipeline = pipeline;
    }

    @Override
    public HealthCheckResponse call() {
        var engine = pipeline.engine();
        return HealthCheckResponse.named("transcription-engine")
                .status(pipeline.status().ready())
                .withData("engine", engine.name())
                .withData("detail", pipeline.status().detail())
                .withData("languages", engine.languages().isEmpty() ? "any" : String.join(",", engine.languages()))
                .withData("word-timings", engine.wordTimings())
                .withData("translates", engine.translates())
                .withData("slots", engine.slots())
                .build();
    }
}
