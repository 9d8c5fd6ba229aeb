package io.tiergate.router.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.tiergate.router.providers.Backend;
import io.tiergate.router.providers.ProviderRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The router's Prometheus metrics, with meters cached so the hot path does no registry look-ups. */
@Startup
@ApplicationScoped
public class RouterMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    public RouterMetrics(MeterRegistry registry, ProviderRegistry providers) {
        this.registry = registry;
        for (Backend backend : providers.backends()) {
            Gauge.builder("tiergate_breaker_state", backend, RouterMetrics::breakerValue)
                    .description("Circuit breaker state per backend: 0 closed, 1 half-open, 2 open")
                    .tags("provider", backend.provider().name(), "account", backend.account())
                    .register(registry);
        }
    }

    private static double breakerValue(Backend backend) {
        CircuitBreakerState state = backend.breakerState();
        return state == CircuitBreakerState.OPEN ? 2 : state == CircuitBreakerState.HALF_OPEN ? 1 : 0;
    }

    /** One finished request, by where it ended up and how. */
    public void request(String capability, String tier, String provider, String account, String outcome, Duration took) {
        String key = capability + '|' + tier + '|' + provider + '|' + account + '|' + outcome;
        counters.computeIfAbsent("r|" + key, k -> Counter.builder("tiergate_requests")
                .description("Routed requests by tier, provider, account and outcome")
                .tags("capability", capability, "tier", tier, "provider", provider, "account", account, "outcome", outcome)
                .register(registry)).increment();
        timers.computeIfAbsent(key, k -> Timer.builder("tiergate_request_duration")
                .description("End-to-end routed request latency")
                .tags("capability", capability, "tier", tier, "provider", provider, "account", account, "outcome", outcome)
                .publishPercentileHistogram()
                .register(registry)).record(took);
    }

    /** One try of one backend. */
    public void attempt(String provider, String account, String outcome) {
        String key = "a|" + provider + '|' + account + '|' + outcome;
        counters.computeIfAbsent(key, k -> Counter.builder("tiergate_attempts")
                .description("Backend attempts by outcome")
                .tags("provider", provider, "account", account, "outcome", outcome)
                .register(registry)).increment();
    }

    /** A move from one candidate to the next after the first failed. */
    public void fallback(String fromProvider, String toProvider) {
        String key = "f|" + fromProvider + '|' + toProvider;
        counters.computeIfAbsent(key, k -> Counter.builder("tiergate_fallbacks")
                .description("Fallbacks from one backend's provider to the next candidate's")
                .tags("from", fromProvider, "to", toProvider)
                .register(registry)).increment();
    }
}
