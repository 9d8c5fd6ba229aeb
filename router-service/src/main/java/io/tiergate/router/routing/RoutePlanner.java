package io.tiergate.router.routing;

import io.tiergate.router.config.Strategy;
import io.tiergate.router.config.Tier;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.tiergate.router.config.RouterConfig;
import io.tiergate.router.config.TiersConfig;
import io.tiergate.router.providers.Backend;
import io.tiergate.router.providers.Provider;
import io.tiergate.router.providers.ProviderRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Builds the ordered list of backends for a request: the request's tier first, ordered by that
 * tier's strategy, then each higher tier in turn, leaving out (with a reason) every backend that
 * must not or cannot serve it.
 */
@ApplicationScoped
public class RoutePlanner {

    private final ProviderRegistry registry;
    private final RouterConfig config;
    private final TiersConfig tiers;

    public RoutePlanner(ProviderRegistry registry, RouterConfig config, TiersConfig tiers) {
        this.registry = registry;
        this.config = config;
        this.tiers = tiers;
    }

    public RoutePlan plan(RouteRequest request) {
        List<Candidate> candidates = new ArrayList<>();
        List<Exclusion> excluded = new ArrayList<>();
        Set<Backend> decided = new HashSet<>();
        Instant earliestReopen = null;

        for (Tier tier = request.startTier(); tier != null; tier = tier.next().orElse(null)) {
            List<Candidate> tierCandidates = new ArrayList<>();
            for (Provider provider : registry.all()) {
                if (!considered(provider, tier, request)) {
                    continue;
                }
                List<Backend> usable = new ArrayList<>();
                for (Backend backend : provider.backends()) {
                    if (!decided.add(backend)) {
                        continue;
                    }
                    Optional<String> reason = exclusionReason(provider, backend, request);
                    if (reason.isPresent()) {
                        excluded.add(new Exclusion(provider.name(), backend.account(), reason.get()));
                        Instant reopen = backend.openUntil().orElse(null);
                        if (reopen != null && (earliestReopen == null || reopen.isBefore(earliestReopen))) {
                            earliestReopen = reopen;
                        }
                    } else {
                        usable.add(backend);
                    }
                }
                if (!usable.isEmpty()) {
                    Optional<String> model = request.forcedModel().isPresent() ? request.forcedModel() : modelFor(provider, tier);
                    tierCandidates.add(new Candidate(provider, usable, tier, model,
                            provider.estimateCost(request.inputTokens(), request.outputTokens(), request.audioSeconds())));
                }
            }
            tierCandidates.sort(orderFor(tier));
            candidates.addAll(tierCandidates);
        }

        for (Provider provider : registry.all()) {
            for (Backend backend : provider.backends()) {
                if (!decided.contains(backend) && request.forcedProvider().isEmpty() && request.forcedModel().isEmpty()) {
                    excluded.add(new Exclusion(provider.name(), backend.account(),
                            "serves no tier at or above " + request.startTier().wireName()));
                }
            }
        }
        return new RoutePlan(request.startTier(), candidates, excluded, Optional.ofNullable(earliestReopen));
    }

    private Optional<String> exclusionReason(Provider provider, Backend backend, RouteRequest request) {
        if (!provider.enabled()) {
            return Optional.of("disabled");
        }
        if (!provider.serves(request.capability())) {
            return Optional.of("lacks capability " + request.capability().wireName());
        }
        if (!request.protocols().contains(provider.protocol())) {
            return Optional.of("protocol " + provider.protocol().wireName() + " cannot serve " + request.capability().wireName()
                    + " requests");
        }
        if (request.localOnly() && !provider.config().local()) {
            return Optional.of("not local (request is local-only)");
        }
        Optional<String> unsuitable = request.unsuitable().apply(provider);
        if (unsuitable.isPresent()) {
            return unsuitable;
        }
        Optional<String> unusable = unusableAsConfigured(provider, backend);
        if (unusable.isPresent()) {
            return unusable;
        }
        if (backend.breakerState() == CircuitBreakerState.OPEN) {
            return Optional.of("circuit open until " + backend.openUntil().map(Object::toString).orElse("its next probe"));
        }
        if (provider.lastProbe().status() == Provider.ProbeResult.Status.DOWN) {
            return Optional.of("health probe failing: " + provider.lastProbe().detail());
        }
        return Optional.empty();
    }

    /**
     * Why a backend can serve no request at all as configured, whatever the request: a paid provider in zero-budget
     * mode, or an account whose key is not in the environment. Empty when it could serve.
     */
    public Optional<String> unusableAsConfigured(Provider provider, Backend backend) {
        if (provider.config().paid() && !config.budget().allowPaid()) {
            return Optional.of("paid disallowed (zero-budget mode)");
        }
        if (backend.needsKey() && backend.apiKey().isEmpty()) {
            return Optional.of("no API key (environment variable " + backend.apiKeyEnv() + " is unset)");
        }
        return Optional.empty();
    }

    /**
     * A forced provider is considered at every tier, and so is every provider configured with a forced model; otherwise
     * a provider is considered at the tiers it serves.
     */
    private static boolean considered(Provider provider, Tier tier, RouteRequest request) {
        if (request.forcedProvider().isPresent() && !request.forcedProvider().get().equals(provider.name())) {
            return false;
        }
        if (request.forcedModel().isPresent()) {
            return provider.offersModel(request.forcedModel().get());
        }
        return request.forcedProvider().isPresent() || provider.serves(tier);
    }

    private static Optional<String> modelFor(Provider provider, Tier tier) {
        Optional<String> model = provider.modelFor(tier);
        if (model.isPresent()) {
            return model;
        }
        // A provider forced outside its tiers still gets a model it knows rather than the caller's.
        return provider.config().models().values().stream().findFirst();
    }

    private Comparator<Candidate> orderFor(Tier tier) {
        Comparator<Candidate> byPriority = Comparator.comparingInt(c -> c.provider().priority());
        TiersConfig.TierConfig tierConfig = tiers.all().get(tier);
        Strategy strategy = tierConfig == null ? Strategy.PRIORITY : tierConfig.strategy();
        return switch (strategy) {
            case PRIORITY -> byPriority;
            case COST -> Comparator.comparingDouble(Candidate::estimatedCost).thenComparing(byPriority);
            case LEAST_USED -> Comparator.<Candidate>comparingLong(RoutePlanner::served).thenComparing(byPriority);
            case LATENCY -> Comparator.<Candidate>comparingDouble(RoutePlanner::latencyRank).thenComparing(byPriority);
        };
    }

    private static long served(Candidate candidate) {
        return candidate.backends().stream().mapToLong(backend -> backend.stats().served()).sum();
    }

    /** The fastest account's median latency; providers never measured sort after measured ones. */
    private static double latencyRank(Candidate candidate) {
        return candidate.backends().stream().mapToDouble(backend -> backend.stats().p50Millis()).filter(p50 -> p50 >= 0)
                .min().orElse(Double.MAX_VALUE);
    }
}
