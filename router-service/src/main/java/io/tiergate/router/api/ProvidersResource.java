package io.tiergate.router.api;

import io.tiergate.common.problem.Problem;
import io.tiergate.common.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import io.tiergate.router.providers.Provider;
import io.tiergate.router.providers.ProviderOverrides;
import io.tiergate.router.providers.ProviderRegistry;
import io.tiergate.router.routing.RoutePlanner;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.jboss.logging.Logger;

/** The admin API: providers, their health and run-time switches. Cost comparison is a routed view ({@link RoutedEndpoints}). */
@Path("/v1/providers")
@Produces(MediaType.APPLICATION_JSON)
public class ProvidersResource {

    private static final Logger LOG = Logger.getLogger(ProvidersResource.class);

    private final ProviderRegistry registry;
    private final ProviderOverrides overrides;
    private final RoutePlanner planner;

    public ProvidersResource(ProviderRegistry registry, ProviderOverrides overrides, RoutePlanner planner) {
        this.registry = registry;
        this.overrides = overrides;
        this.planner = planner;
    }

    @GET
    public List<ProviderView> list() {
        return registry.all().stream().map(provider -> ProviderView.of(provider, overrides.scopeOf(provider.name()))).toList();
    }

    @GET
    @Path("/health")
    public List<BackendHealth> health() {
        return registry.backends().stream()
                .map(backend -> BackendHealth.of(backend, planner.unusableAsConfigured(backend.provider(), backend)))
                .toList();
    }

    @PATCH
    @Path("/{name}")
    @AdminOnly
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<ProviderView> patch(@PathParam("name") String name, @Valid ProviderPatch patch) {
        Provider provider = registry.find(name).orElseThrow(() -> new ProblemException(
                Problem.of(404, "unknown-provider", "Unknown provider", "No provider is configured with the name " + Problem.quoted(name))));
        if (patch == null || (patch.enabled() == null && patch.priority() == null)) {
            throw ProblemException.badField(null, "Send at least one of 'enabled' (boolean) and 'priority' (integer ≥ 0)");
        }
        // Answers once every replica can see the change (stored in Redis), or once it holds here if Redis is unreachable.
        return overrides.change(provider, patch.enabled(), patch.priority()).map(scope -> {
            LOG.infof("Provider %s changed by admin: enabled=%s priority=%d scope=%s", name, provider.enabled(), provider.priority(),
                    scope);
            return ProviderView.of(provider, scope);
        });
    }
}
