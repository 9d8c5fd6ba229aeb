package io.tiergate.router.health;

import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.tiergate.quota.QuotaLedger;
import io.tiergate.router.providers.Backend;
import io.tiergate.router.providers.ProviderRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once configuration is loaded. Backends or Redis being down does not make the router unready:
 * it still serves providers that need no quota, explains, answers with clear 503s and recovers by
 * itself; the data shows the picture.
 */
@Readiness
@ApplicationScoped
public class RoutingReadinessCheck implements HealthCheck {

    private final ProviderRegistry registry;
    private final QuotaLedger ledger;

    public RoutingReadinessCheck(ProviderRegistry registry, QuotaLedger ledger) {
        this.registry = registry;
        this.ledger = ledger;
    }

    @Override
    public HealthCheckResponse call() {
        long open = registry.backends().stream().filter(b -> b.breakerState() == CircuitBreakerState.OPEN).count();
        long enabled = registry.backends().stream().map(Backend::provider).filter(p -> p.enabled()).count();
        return HealthCheckResponse.named("routing").up()
                .withData("backends", registry.backends().size())
                .withData("enabled_backends", enabled)
                .withData("open_breakers", open)
                .withData("quota_store", ledger.redisReachable() ? "reachable" : "unreachable")
                .build();
    }
}
