package io.tiergate.router.dispatch;

import io.quarkus.runtime.Startup;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Uni;
import io.tiergate.router.config.RouterConfig;
import io.tiergate.router.providers.Backend;
import io.tiergate.router.providers.ProviderRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.util.TypeLiteral;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;

/**
 * One circuit breaker per backend (SmallRye Fault Tolerance), built at start-up, so every breaker exists before the
 * first plan or metrics scrape asks for its state. Only failures that say the backend is unhealthy count
 * ({@link UpstreamFailure#countsAgainstBackend}), and each request counts once per backend ({@link #record}), so the
 * retries of one request cannot open a breaker on their own.
 */
@Startup
@ApplicationScoped
public class BackendGuards {

    private static final TypeLiteral<Uni<UpstreamReply>> REPLY = new TypeLiteral<>() {};

    private final Map<Backend, TypedGuard<Uni<UpstreamReply>>> guards = new HashMap<>();

    public BackendGuards(ProviderRegistry registry, RouterConfig config) {
        RouterConfig.Dispatch.Breaker breaker = config.dispatch().breaker();
        for (Backend backend : registry.backends()) {
            guards.put(backend, TypedGuard.create(REPLY)
                    .withDescription(backend.breakerName())
                    .withCircuitBreaker()
                        .name(backend.breakerName())
                        .requestVolumeThreshold(breaker.failureThreshold())
                        .failureRatio(1.0)
                        .successThreshold(1)
                        .delay(breaker.openFor().toMillis(), ChronoUnit.MILLIS)
                        .when(UpstreamFailure::countsAgainstBackend)
                        .onStateChange(backend::onBreakerStateChange)
                        .done()
                    .withThreadOffload(false)
                    .build());
        }
    }

    TypedGuard<Uni<UpstreamReply>> of(Backend backend) {
        return guards.get(backend);
    }

    /**
     * Tells a backend's breaker how one request went on it, when its attempts did not pass through the breaker:
     * {@code failure} null for a success. A breaker that opened meanwhile refuses the record, which changes nothing.
     */
    void record(Backend backend, UpstreamReply reply, Throwable failure) {
        Uni<UpstreamReply> outcome = failure == null ? Uni.createFrom().item(reply) : Uni.createFrom().failure(failure);
        guards.get(backend).get(() -> outcome).subscribe().with(ignored -> { }, ignored -> { });
    }
}
