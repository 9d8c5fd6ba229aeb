package io.tiergate.router.pipeline;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.tiergate.quota.AccountQuota;
import io.tiergate.quota.QuotaLedger;
import io.tiergate.quota.UsageAmount;
import io.tiergate.quota.UsageReport;
import io.tiergate.router.dispatch.RequestBody;
import io.tiergate.router.providers.Backend;
import io.tiergate.router.providers.Provider;
import io.tiergate.router.providers.ProviderRegistry;
import io.tiergate.router.routing.Candidate;
import io.tiergate.router.routing.Exclusion;
import io.tiergate.router.routing.RoutePlan;
import io.tiergate.router.routing.RoutePlanner;
import io.tiergate.router.routing.RouteRequest;
import io.tiergate.router.config.Tier;
import io.tiergate.router.scoring.ComplexityScore;
import io.tiergate.router.scoring.ComplexityScorer;
import io.tiergate.router.translation.TranslatorRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The one request pipeline of every routed capability: read and size the request, score it, plan its candidates, then
 * serve it, explain the plan, or compare its cost. Nothing here knows a capability by name.
 */
@ApplicationScoped
public class RoutedPipeline {

    private final ProviderRegistry registry;
    private final ComplexityScorer scorer;
    private final RoutePlanner planner;
    private final TranslatorRegistry translators;
    private final TranslatedDispatch dispatch;
    private final QuotaLedger ledger;

    public RoutedPipeline(ProviderRegistry registry, ComplexityScorer scorer, RoutePlanner planner, TranslatorRegistry translators,
            TranslatedDispatch dispatch, QuotaLedger ledger) {
        this.registry = registry;
        this.scorer = scorer;
        this.planner = planner;
        this.translators = translators;
        this.dispatch = dispatch;
        this.ledger = ledger;
    }

    /** Loads the tokenizer's vocabulary before the first request, which would otherwise stall an event loop for it. */
    void loadTokenizer(@Observes StartupEvent start) {
        UsageEstimate.tokensOf("Tiergate");
    }

    /**
     * Reads, sizes, scores and plans a request: on the calling thread, or on a worker thread when the capability's
     * reading blocks (then the request is emitted there). A {@code model} naming a tier forces that tier (unless a
     * header already does); one naming a provider's model keeps only the providers configured with it; any other name
     * is sent on.
     */
    public <R> Uni<RoutedRequest<R>> route(RoutedCapability<R> capability, RequestBody body, RoutingHeaders headers) {
        Uni<RoutedRequest<R>> routed = Uni.createFrom().item(() -> routeNow(capability, body, headers));
        return capability.parsesBlocking() ? routed.runSubscriptionOn(Infrastructure.getDefaultWorkerPool()) : routed;
    }

    private <R> RoutedRequest<R> routeNow(RoutedCapability<R> capability, RequestBody body, RoutingHeaders headers) {
        R request = capability.parse(body);
        UsageEstimate estimate = capability.estimate(request);
        ComplexityScore score = scorer.score(capability.features(request));
        Optional<String> model = capability.requestedModel(request);
        Optional<Tier> tier = headers.forcedTier().or(() -> model.flatMap(Tier::fromWireName));
        Optional<String> providerModel = model.filter(name -> registry.all().stream().anyMatch(p -> p.offersModel(name)));
        RoutePlan plan = planner.plan(new RouteRequest(capability.requires(), capability.protocols(translators), score.tier(),
                estimate.inputTokens(), estimate.outputTokens(), estimate.audioSeconds(), tier, headers.forcedProvider(),
                providerModel, headers.localOnly(), unsuitable(capability, request)));
        return new RoutedRequest<>(capability, request, estimate, score, plan, headers);
    }

    /** Why a provider cannot serve this request in particular, as the translator of its protocol tells. */
    private <R> Function<Provider, Optional<String>> unsuitable(RoutedCapability<R> capability, R request) {
        return provider -> translators.<R>find(capability.name(), provider.protocol())
                .flatMap(translator -> translator.cannotServe(request, provider));
    }

    public <R> Uni<Answer> serve(RoutedRequest<R> routed) {
        String name = routed.capability().name();
        return routed.capability().serve(new Serving<>(routed.request(), routed.estimate(), routed.plan().candidates(),
                run -> dispatch.dispatch(name, routed.request(), routed.estimate(), run).map(Answer.class::cast)));
    }

    /**
     * The plan with the quota it would meet, calling no provider: quota is read, never reserved, and an account that
     * could not take this request's own estimate now (by the same rule a reservation applies) is shown as excluded.
     */
    public Uni<Explanation> explain(RoutedRequest<?> routed) {
        RoutePlan plan = routed.plan();
        List<AccountQuota> limited = plan.candidates().stream()
                .filter(candidate -> candidate.provider().quotaLimited())
                .flatMap(candidate -> candidate.backends().stream())
                .map(backend -> backend.quota().orElseThrow())
                .toList();
        UsageAmount need = routed.estimate().smallestReservation();
        return ledger.report(limited).map(report -> explanation(routed, noRoomFor(need, report)));
    }

    private static Explanation explanation(RoutedRequest<?> routed, Map<String, String> noRoom) {
        RoutePlan plan = routed.plan();
        Optional<String> callerModel = callerModel(routed);
        List<Explanation.PlannedBackend> candidates = new ArrayList<>();
        List<Exclusion> excluded = new ArrayList<>(plan.excluded());
        for (Candidate candidate : plan.candidates()) {
            List<String> accounts = new ArrayList<>();
            for (Backend backend : candidate.backends()) {
                String reason = noRoom.get(backend.id());
                if (reason == null) {
                    accounts.add(backend.account());
                } else {
                    excluded.add(new Exclusion(candidate.provider().name(), backend.account(), reason));
                }
            }
            if (!accounts.isEmpty()) {
                candidates.add(new Explanation.PlannedBackend(candidates.size() + 1, candidate.provider().name(), accounts,
                        candidate.provider().quotaLimited(), candidate.tier(), candidate.model().or(() -> callerModel).orElse(null),
                        candidate.estimatedCost()));
            }
        }
        RoutingHeaders headers = routed.headers();
        return new Explanation(routed.capability().name(), routed.score().score(), routed.score().tier(), plan.tier(),
                headers.forcedProvider().orElse(null), headers.localOnly(), routed.estimate(), routed.score().features(), candidates,
                excluded);
    }

    private <R> Function<Provider, Optional<String>> unsuitable(RoutedRequest<R> routed) {
        return unsuitable(routed.capability(), routed.request());
    }

    private static <R> Optional<String> callerModel(RoutedRequest<R> routed) {
        return routed.capability().requestedModel(routed.request());
    }

    /** Accounts that cannot take a call of {@code need} now (by "provider/account"), with the reason. */
    private static Map<String, String> noRoomFor(UsageAmount need, UsageReport report) {
        Map<String, String> reasons = new HashMap<>();
        for (UsageReport.AccountUsage account : report.accounts()) {
            String id = account.provider() + "/" + account.account();
            if (account.cooldownUntil() != null && account.cooldownUntil().isAfter(report.at())) {
                reasons.put(id, "cooling down after a 429 until " + account.cooldownUntil());
                continue;
            }
            for (UsageReport.WindowUsage window : account.windows()) {
                if (!window.admits(need)) {
                    long taken = window.used() + window.reserved();
                    reasons.put(id, "quota exhausted: " + window.unit().name().toLowerCase(Locale.ROOT) + " per "
                            + window.window().name().toLowerCase(Locale.ROOT) + " (" + taken + "/" + window.limit() + ") until "
                            + window.resetAt() + (taken < window.limit() ? "; this request needs " + need.of(window.unit()) : ""));
                    break;
                }
            }
        }
        return reasons;
    }

    /**
     * The request's estimated cost on every provider that could serve it at any tier, cheapest first, whatever its
     * score: planned from the lowest tier, with the caller's privacy and provider constraints.
     */
    public CostComparison compareCost(RoutedRequest<?> routed) {
        RoutedCapability<?> capability = routed.capability();
        UsageEstimate estimate = routed.estimate();
        RoutingHeaders headers = routed.headers();
        RoutePlan plan = planner.plan(new RouteRequest(capability.requires(), capability.protocols(translators), Tier.SIMPLE,
                estimate.inputTokens(), estimate.outputTokens(), estimate.audioSeconds(), Optional.of(Tier.SIMPLE),
                headers.forcedProvider(), Optional.empty(), headers.localOnly(), unsuitable(routed)));
        Optional<String> callerModel = callerModel(routed);
        Set<String> seen = new HashSet<>();
        List<CostComparison.Entry> entries = new ArrayList<>();
        for (Candidate candidate : plan.candidates()) {
            Provider provider = candidate.provider();
            if (seen.add(provider.name())) {
                entries.add(new CostComparison.Entry(provider.name(), candidate.tier(),
                        candidate.model().or(() -> callerModel).orElse(null), provider.config().paid(), candidate.estimatedCost()));
            }
        }
        entries.sort(Comparator.comparingDouble(CostComparison.Entry::estimatedCostUsd));
        return new CostComparison(capability.name(), estimate.inputTokens(), estimate.outputTokens(), estimate.audioSeconds(),
                entries);
    }
}
