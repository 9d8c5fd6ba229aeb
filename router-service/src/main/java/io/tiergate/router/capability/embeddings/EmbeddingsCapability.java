package io.tiergate.router.capability.embeddings;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiergate.router.dispatch.RequestBody;
import io.tiergate.router.pipeline.JsonBodies;
import io.tiergate.router.pipeline.RoutedCapability;
import io.tiergate.router.pipeline.UsageEstimate;
import io.tiergate.router.config.Capability;
import io.tiergate.router.scoring.FeatureContribution;
import io.tiergate.router.scoring.TaskFeatures;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * {@code POST /v1/embeddings}, OpenAI-compatible, to classification pods and OpenAI-compatible providers. The caller's
 * {@code model} names an embedding model, not a route: each provider is asked for its own embedding model, and a pod
 * maps OpenAI's names to its local one.
 */
@ApplicationScoped
public class EmbeddingsCapability implements RoutedCapability<EmbeddingsRequest> {

    public static final String NAME = "embeddings";

    private final ObjectMapper mapper;
    private final TaskFeatures features;

    public EmbeddingsCapability(ObjectMapper mapper, TaskFeatures features) {
        this.mapper = mapper;
        this.features = features;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String path() {
        return "/v1/embeddings";
    }

    @Override
    public Capability requires() {
        return Capability.EMBEDDINGS;
    }

    @Override
    public EmbeddingsRequest parse(RequestBody body) {
        return new EmbeddingsRequest(body, JsonBodies.object(mapper, body));
    }

    @Override
    public UsageEstimate estimate(EmbeddingsRequest request) {
        long tokens = TaskFeatures.TextStats.texts(request.json()).stream().mapToLong(UsageEstimate::tokensOf).sum();
        return UsageEstimate.fixed(tokens, 0, 0);
    }

    @Override
    public List<FeatureContribution> features(EmbeddingsRequest request) {
        return features.of(request.json());
    }

    @Override
    public Optional<String> requestedModel(EmbeddingsRequest request) {
        return Optional.empty();
    }
}
