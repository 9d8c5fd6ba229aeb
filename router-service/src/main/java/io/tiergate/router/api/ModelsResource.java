package io.tiergate.router.api;

import io.tiergate.router.config.Tier;
import io.tiergate.router.providers.Provider;
import io.tiergate.router.providers.ProviderRegistry;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/models}, in OpenAI's shape, so OpenAI SDKs and model catalogs list what a caller may name:
 * {@code auto} (route by score), each tier (route at that tier), and each provider's models (only providers
 * configured with that model serve it). Any other name is passed through to providers that have no model of their own.
 */
@Path("/v1/models")
@Produces(MediaType.APPLICATION_JSON)
public class ModelsResource {

    static final String AUTO = "auto";
    private static final String ROUTER = "tiergate";

    private final ProviderRegistry registry;

    public ModelsResource(ProviderRegistry registry) {
        this.registry = registry;
    }

    /** One model a caller may name; {@code ownedBy} is the provider serving it, or tiergate for routing names. */
    public record Model(String id, String object, long created, String ownedBy) {
        static Model of(String id, String ownedBy) {
            return new Model(id, "model", 0, ownedBy);
        }
    }

    public record ModelList(String object, List<Model> data) {}

    @GET
    public ModelList list() {
        Map<String, Model> models = new LinkedHashMap<>();
        models.put(AUTO, Model.of(AUTO, ROUTER));
        for (Tier tier : Tier.values()) {
            models.put(tier.wireName(), Model.of(tier.wireName(), ROUTER));
        }
        for (Provider provider : registry.all()) {
            provider.config().models().values().forEach(model -> models.putIfAbsent(model, Model.of(model, provider.name())));
            provider.config().embeddingModel().ifPresent(model -> models.putIfAbsent(model, Model.of(model, provider.name())));
        }
        return new ModelList("list", new ArrayList<>(models.values()));
    }
}
