package io.tiergate.router.pipeline;

import io.tiergate.common.problem.Problem;
import io.tiergate.common.problem.ProblemException;
import io.tiergate.router.providers.ProviderRegistry;
import io.tiergate.router.config.Tier;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** The request headers a caller can steer routing with, validated; and the headers every routed answer carries. */
public record RoutingHeaders(Optional<Tier> forcedTier, Optional<String> forcedProvider, boolean localOnly) {

    public static final String TIER = "X-Tiergate-Tier";
    public static final String SCORE = "X-Tiergate-Score";
    public static final String PROVIDER = "X-Tiergate-Provider";
    public static final String ACCOUNT = "X-Tiergate-Account";
    public static final String ATTEMPTS = "X-Tiergate-Attempts";
    public static final String PRIVACY = "X-Tiergate-Privacy";
    /** On an answer whose output the router capped (per choice) so the call fit its account's tokens left. */
    public static final String MAX_TOKENS = "X-Tiergate-Max-Tokens";
    public static final String LOCAL_ONLY = "local-only";

    /** Reads the headers through {@code header}, which answers null for an absent header. */
    public static RoutingHeaders parse(UnaryOperator<String> header, ProviderRegistry registry) {
        Optional<Tier> tier = Optional.ofNullable(header.apply(TIER)).map(value -> Tier.fromWireName(value)
                .orElseThrow(() -> headerProblem(TIER, "must be one of simple, medium, complex, not " + Problem.quoted(value))));
        Optional<String> provider = Optional.ofNullable(header.apply(PROVIDER)).map(String::trim);
        if (provider.isPresent() && registry.find(provider.get()).isEmpty()) {
            throw headerProblem(PROVIDER, "names no configured provider: " + Problem.quoted(provider.get()));
        }
        String privacy = header.apply(PRIVACY);
        if (privacy != null && !privacy.trim().equalsIgnoreCase(LOCAL_ONLY)) {
            throw headerProblem(PRIVACY, "must be '" + LOCAL_ONLY + "' when present, not " + Problem.quoted(privacy));
        }
        return new RoutingHeaders(tier, provider, privacy != null);
    }

    private static ProblemException headerProblem(String name, String detail) {
        return new ProblemException(new Problem("https://tiergate.io/problems/invalid-header", "Invalid header", 400,
                "Header " + name + " " + detail, name, null));
    }
}
