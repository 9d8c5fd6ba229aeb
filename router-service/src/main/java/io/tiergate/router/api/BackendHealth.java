package io.tiergate.router.api;

import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.tiergate.router.providers.Backend;
import io.tiergate.router.providers.BackendStats;
import io.tiergate.router.providers.Provider;
import java.time.Instant;
import java.util.Locale;

/** One backend's health as {@code GET /v1/providers/health} shows it. */
public record BackendHealth(String provider, String account, String status, String breaker, Instant openUntil,
        Double p50LatencyMs, long successes, long errors, String lastError, Instant lastErrorAt, Probe probe) {

    public record Probe(String status, Instant at, String detail) {}

    static BackendHealth of(Backend backend) {
        Provider provider = backend.provider();
        CircuitBreakerState breaker = backend.breakerState();
        Provider.ProbeResult probe = provider.lastProbe();
        BackendStats stats = backend.stats();
        double p50 = stats.p50Millis();
        return new BackendHealth(provider.name(), backend.account(), status(provider, breaker, probe),
                breaker.name().toLowerCase(Locale.ROOT).replace('_', '-'), backend.openUntil().orElse(null),
                p50 < 0 ? null : p50, stats.successes(), stats.errors(), stats.lastError(),
                stats.lastErrorAtMillis() == 0 ? null : Instant.ofEpochMilli(stats.lastErrorAtMillis()),
                probe.atMillis() == 0 ? null
                        : new Probe(probe.status().name().toLowerCase(Locale.ROOT), Instant.ofEpochMilli(probe.atMillis()), probe.detail()));
    }

    private static String status(Provider provider, CircuitBreakerState breaker, Provider.ProbeResult probe) {
        if (!provider.enabled()) {
            return "disabled";
        }
        if (breaker == CircuitBreakerState.OPEN || probe.status() == Provider.ProbeResult.Status.DOWN) {
            return "down";
        }
        if (breaker == CircuitBreakerState.HALF_OPEN) {
            return "recovering";
        }
        return "up";
    }
}
