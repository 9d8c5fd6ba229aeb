package io.tiergate.classification.health;

import io.tiergate.classification.llm.LlmTier;
import io.tiergate.classification.local.LocalTier;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the embedding model is loaded: before that, every classification would be refused. */
@Readiness
@ApplicationScoped
public class ModelReadinessCheck implements HealthCheck {

    private final LocalTier local;
    private final LlmTier llm;

    public ModelReadinessCheck(LocalTier local, LlmTier llm) {
        this.local = local;
        this.llm = llm;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("classification-model")
                .status(local.ready())
                .withData("embedding-model", local.engine())
                .withData("llm-tier", llm.available() ? llm.engine() : "none")
                .build();
    }
}
