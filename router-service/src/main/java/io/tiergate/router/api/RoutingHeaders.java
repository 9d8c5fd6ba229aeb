package io.tiergate.router.api;

import io.tiergate.common.problem.Problem;
import io.tiergate.common.problem.ProblemException;
import io.tiergate.router.providers.Capability;
import io.tiergate.router.providers.ProviderRegistry;
import io.tiergate.router.routing.RouteRequest;
import io.tiergate.router.routing.Tier;
import io.tiergate.router.scoring.ComplexityScore;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** The request headers a caller can steer routing with, validated. */
public record RoutingHeaders(Optional<Tier> forcedTier, Optional<String> forcedProvider, boolean localOnly, String requestId) {

    public static final String TIER = "X-Tiergate-Tier";
    public static final String SCORE = "X-Tiergate-Score";
    public static final String PROVIDER = "X-Tiergate-Provider";
    public static final String ACCOUNT = "X-Tiergate-Account";
    public static final String ATTEMPTS = "X-Tiergate-Attempts";
    public static final String PRIVACY = "X-Tiergate-Privacy";
    public static final String REQUEST_ID = "X-Request-Id";
    public static final String LOCAL_ONLY = "local-only";

    /** Reads the headers through {@code header}, which answers null for an absent header. */
    public static RoutingHeaders parse(UnaryOperator<String> header, ProviderRegistry registry, String requestId) {
        Optional<Tier> tier = Optional.ofNullable(header.apply(TIER)).map(value -> Tier.fromWireName(value)
                .orElseThrow(() -> headerProblem(TIER, "must be one of simple, medium, complex, not '" + value + "'")));
        Optional<String> provider = Optional.ofNullable(header.apply(PROVIDER)).map(String::trim);
        if (provider.isPresent() && registry.find(provider.get()).isEmpty()) {
            throw headerProblem(PROVIDER, "names no configured provider: '" + provider.get() + "'");
        }
        String privacy = header.apply(PRIVACY);
        if (privacy != null && !privacy.trim().equalsIgnoreCase(LOCAL_ONLY)) {
            throw headerProblem(PRIVACY, "must be '" + LOCAL_ONLY + "' when present, not '" + privacy + "'");
        }
        return new RoutingHeaders(tier, provider, privacy != null, requestId);
    }

    /** What the planner needs: the scored request under the caller's constraints. */
    public RouteRequest routeRequest(Capability capability, ComplexityScore score) {
        return new RouteRequest(capability, score.tier(), score.estimatedPromptTokens(), score.requestedOutputTokens(),
                forcedTier, forcedProvider, localOnly);
    }

    private static ProblemException headerProblem(String name, String detail) {
        return new ProblemException(new Problem("https://tiergate.io/problems/invalid-header", "Invalid header", 400,
                "Header " + name + " " + detail, name, null));
    }
}
