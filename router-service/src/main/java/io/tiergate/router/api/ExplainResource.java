package io.tiergate.router.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiergate.router.providers.Capability;
import io.tiergate.router.providers.ProviderRegistry;
import io.tiergate.router.routing.Candidate;
import io.tiergate.router.routing.RoutePlan;
import io.tiergate.router.routing.RoutePlanner;
import io.tiergate.router.routing.RouteRequest;
import io.tiergate.router.scoring.ComplexityScore;
import io.tiergate.router.scoring.ComplexityScorer;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;

/** {@code POST /v1/route/explain}: what the router would do with a chat request, without calling anything. */
@Path("/v1/route/explain")
@Consumes(MediaType.WILDCARD)
@Produces(MediaType.APPLICATION_JSON)
public class ExplainResource {

    private final ObjectMapper mapper;
    private final ProviderRegistry registry;
    private final ComplexityScorer scorer;
    private final RoutePlanner planner;

    public ExplainResource(ObjectMapper mapper, ProviderRegistry registry, ComplexityScorer scorer, RoutePlanner planner) {
        this.mapper = mapper;
        this.registry = registry;
        this.scorer = scorer;
        this.planner = planner;
    }

    @POST
    public Explanation explain(byte[] body, HttpHeaders headers) {
        RoutingHeaders routing = RoutingHeaders.parse(headers::getHeaderString, registry, null);
        ChatRequest chat = ChatRequest.parse(mapper, body);
        ComplexityScore score = scorer.score(chat);
        RoutePlan plan = planner.plan(new RouteRequest(Capability.CHAT, score.tier(), score.estimatedPromptTokens(),
                score.requestedOutputTokens(), routing.forcedTier(), routing.forcedProvider(), routing.localOnly()));
        List<Explanation.PlannedBackend> candidates = new ArrayList<>();
        for (Candidate candidate : plan.candidates()) {
            candidates.add(new Explanation.PlannedBackend(candidates.size() + 1, candidate.backend().provider().name(),
                    candidate.backend().account(), candidate.tier(), candidate.model().or(chat::model).orElse(null),
                    candidate.estimatedCost()));
        }
        return new Explanation(score.score(), score.tier(), plan.tier(), routing.forcedProvider().orElse(null),
                routing.localOnly(), score.features(), candidates, plan.excluded());
    }
}
