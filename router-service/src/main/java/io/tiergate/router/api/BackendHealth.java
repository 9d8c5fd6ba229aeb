package io.tiergate.router.api;

import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.tiergate.router.providers.Backend;
import io.tiergate.router.providers.BackendStats;
import io.tiergate.router.providers.Provider;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * One backend's health as {@code GET /v1/providers/health} shows it. {@code status} is {@code up}, {@code recovering}
 * (half-open breaker), {@code down} (open breaker or failing probe), {@code disabled}, or {@code unusable} with the
 * {@code reason} (no key in the environment, a paid provider in zero-budget mode): what explanations exclude it for.
 */
public record BackendHealth(String provider, String account, String status, String reason, String breaker, Instant openUntil,
        Double p50LatencyMs, long successes, long errors, String lastError, Instant lastErrorAt, Probe probe) {

    public record Probe(String status, Instant at, String detail) {}

    static BackendHealth of(Backend backend, Optional<String> unusable) {
        Provider provider = backend.provider();
        CircuitBreakerState breaker = backend.breakerState();
        Provider.ProbeResult probe = provider.lastProbe();
        BackendStats stats = backend.stats();
        double p50 = stats.p50Millis();
        String status = !provider.enabled() ? "disabled" : unusable.isPresent() ? "unusable" : status(provider, breaker, probe);
        return new BackendHealth(provider.name(), backend.account(), status, unusable.orElse(null),
                breaker.name().toLowerCase(Locale.ROOT).replace('_', '-'), backend.openUntil().orElse(null),
                p50 < 0 ? null : p50, stats.successes(), stats.errors(), stats.lastError(),
                stats.lastErrorAtMillis() == 0 ? null : Instant.ofEpochMilli(stats.lastErrorAtMillis()),
                probe.atMillis() == 0 ? null
                        : new Probe(probe.status().name().toLowerCase(Locale.ROOT), Instant.ofEpochMilli(probe.atMillis()), probe.detail()));
    }

    private static String status(Provider provider, CircuitBreakerState breaker, Provider.ProbeResult probe) {
        if (breaker == CircuitBreakerState.OPEN || probe.status() == Provider.ProbeResult.Status.DOWN) {
            return "down";
        }
        if (breaker == CircuitBreakerState.HALF_OPEN) {
            return "recovering";
        }
        return "up";
    }
}
