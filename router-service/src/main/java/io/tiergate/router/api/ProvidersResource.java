package io.tiergate.router.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiergate.common.problem.Problem;
import io.tiergate.common.problem.ProblemException;
import io.tiergate.router.config.RouterConfig;
import io.tiergate.router.providers.Capability;
import io.tiergate.router.providers.Provider;
import io.tiergate.router.providers.ProviderRegistry;
import io.tiergate.router.routing.Candidate;
import io.tiergate.router.routing.RoutePlan;
import io.tiergate.router.routing.RoutePlanner;
import io.tiergate.router.routing.RouteRequest;
import io.tiergate.router.routing.Tier;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/** The admin API: providers, their health, run-time switches and cost comparison. */
@Path("/v1/providers")
@Produces(MediaType.APPLICATION_JSON)
public class ProvidersResource {

    private static final Logger LOG = Logger.getLogger(ProvidersResource.class);

    private final ProviderRegistry registry;
    private final RouterConfig config;
    private final RoutePlanner planner;
    private final ObjectMapper mapper;

    public ProvidersResource(ProviderRegistry registry, RouterConfig config, RoutePlanner planner, ObjectMapper mapper) {
        this.registry = registry;
        this.config = config;
        this.planner = planner;
        this.mapper = mapper;
    }

    @GET
    public List<ProviderView> list() {
        return registry.all().stream().map(provider -> ProviderView.of(provider)).toList();
    }

    @GET
    @Path("/health")
    public List<BackendHealth> health() {
        return registry.backends().stream().map(BackendHealth::of).toList();
    }

    @PATCH
    @Path("/{name}")
    @AdminOnly
    @Consumes(MediaType.APPLICATION_JSON)
    public ProviderView patch(@PathParam("name") String name, @Valid ProviderPatch patch) {
        Provider provider = registry.find(name).orElseThrow(() -> new ProblemException(
                Problem.of(404, "unknown-provider", "Unknown provider", "No provider is configured with the name '" + name + "'")));
        if (patch == null || (patch.enabled() == null && patch.priority() == null)) {
            throw ProblemException.badField(null, "Send at least one of 'enabled' (boolean) and 'priority' (integer ≥ 0)");
        }
        if (patch.enabled() != null) {
            provider.setEnabled(patch.enabled());
        }
        if (patch.priority() != null) {
            provider.setPriority(patch.priority());
        }
        LOG.infof("Provider %s changed by admin: enabled=%s priority=%d", name, provider.enabled(), provider.priority());
        return ProviderView.of(provider);
    }

    @POST
    @Path("/compare-cost")
    @Consumes(MediaType.WILDCARD)
    public CostComparison compareCost(byte[] body) {
        ChatRequest chat = ChatRequest.parse(mapper, body);
        long input = chat.estimatedPromptTokens();
        long output = RoutePlanner.expectedOutputTokens(chat.maxTokens().orElse(0));
        RoutePlan plan = planner.plan(new RouteRequest(Capability.CHAT, Tier.SIMPLE, input, output,
                Optional.of(Tier.SIMPLE), Optional.empty(), false));
        Set<String> seen = new HashSet<>();
        List<CostComparison.Entry> entries = new ArrayList<>();
        for (Candidate candidate : plan.candidates()) {
            Provider provider = candidate.provider();
            if (seen.add(provider.name())) {
                entries.add(new CostComparison.Entry(provider.name(), candidate.tier(), candidate.model().or(chat::model).orElse(null),
                        provider.config().paid(), candidate.estimatedCost()));
            }
        }
        entries.sort(Comparator.comparingDouble(CostComparison.Entry::estimatedCostUsd));
        return new CostComparison(input, output, entries);
    }
}
