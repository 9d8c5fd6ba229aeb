package io.tiergate.router.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.tiergate.quota.AccountQuota;
import io.tiergate.quota.QuotaLedger;
import io.tiergate.quota.UsageReport;
import io.tiergate.router.providers.Backend;
import io.tiergate.router.providers.Capability;
import io.tiergate.router.providers.ProviderRegistry;
import io.tiergate.router.routing.Candidate;
import io.tiergate.router.routing.Exclusion;
import io.tiergate.router.routing.RoutePlan;
import io.tiergate.router.routing.RoutePlanner;
import io.tiergate.router.scoring.ComplexityScore;
import io.tiergate.router.scoring.ComplexityScorer;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code POST /v1/route/explain}: what the router would do with a chat request, without calling any
 * provider. Quota is read, never reserved: an account out of quota or cooling down is shown as excluded.
 */
@Path("/v1/route/explain")
@Consumes(MediaType.WILDCARD)
@Produces(MediaType.APPLICATION_JSON)
public class ExplainResource {

    private final ObjectMapper mapper;
    private final ProviderRegistry registry;
    private final ComplexityScorer scorer;
    private final RoutePlanner planner;
    private final QuotaLedger ledger;

    public ExplainResource(ObjectMapper mapper, ProviderRegistry registry, ComplexityScorer scorer, RoutePlanner planner,
            QuotaLedger ledger) {
        this.mapper = mapper;
        this.registry = registry;
        this.scorer = scorer;
        this.planner = planner;
        this.ledger = ledger;
    }

    @POST
    public Uni<Explanation> explain(byte[] body, HttpHeaders headers) {
        RoutingHeaders routing = RoutingHeaders.parse(headers::getHeaderString, registry, null);
        ChatRequest chat = ChatRequest.parse(mapper, body);
        ComplexityScore score = scorer.score(chat);
        RoutePlan plan = planner.plan(routing.routeRequest(Capability.CHAT, score));
        List<AccountQuota> limited = plan.candidates().stream()
                .filter(candidate -> candidate.provider().quotaLimited())
                .flatMap(candidate -> candidate.backends().stream())
                .map(backend -> backend.quota().orElseThrow())
                .toList();
        return ledger.report(limited).map(report -> explanation(chat, score, routing, plan, noHeadroom(report)));
    }

    private static Explanation explanation(ChatRequest chat, ComplexityScore score, RoutingHeaders routing, RoutePlan plan,
            Map<String, String> noHeadroom) {
        List<Explanation.PlannedBackend> candidates = new ArrayList<>();
        List<Exclusion> excluded = new ArrayList<>(plan.excluded());
        for (Candidate candidate : plan.candidates()) {
            List<String> accounts = new ArrayList<>();
            for (Backend backend : candidate.backends()) {
                String reason = noHeadroom.get(backend.id());
                if (reason == null) {
                    accounts.add(backend.account());
                } else {
                    excluded.add(new Exclusion(candidate.provider().name(), backend.account(), reason));
                }
            }
            if (!accounts.isEmpty()) {
                candidates.add(new Explanation.PlannedBackend(candidates.size() + 1, candidate.provider().name(), accounts,
                        candidate.provider().quotaLimited(), candidate.tier(), candidate.model().or(chat::model).orElse(null),
                        candidate.estimatedCost()));
            }
        }
        return new Explanation(score.score(), score.tier(), plan.tier(), routing.forcedProvider().orElse(null),
                routing.localOnly(), score.features(), candidates, excluded);
    }

    /** Accounts that cannot take a request now (by "provider/account"), with the reason. */
    private static Map<String, String> noHeadroom(UsageReport report) {
        Map<String, String> reasons = new HashMap<>();
        for (UsageReport.AccountUsage account : report.accounts()) {
            String id = account.provider() + "/" + account.account();
            if (account.cooldownUntil() != null && account.cooldownUntil().isAfter(report.at())) {
                reasons.put(id, "cooling down after a 429 until " + account.cooldownUntil());
                continue;
            }
            for (UsageReport.WindowUsage window : account.windows()) {
                if (window.limit() != null && window.used() + window.reserved() >= window.limit()) {
                    reasons.put(id, "quota exhausted: " + window.unit().name().toLowerCase(Locale.ROOT) + " per "
                            + window.window().name().toLowerCase(Locale.ROOT) + " (" + (window.used() + window.reserved()) + "/"
                            + window.limit() + ") until " + window.resetAt());
                    break;
                }
            }
        }
        return reasons;
    }
}
