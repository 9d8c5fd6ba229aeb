package io.tiergate.router.dispatch;

import io.quarkus.runtime.Startup;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * One circuit breaker per backend (SmallRye Fault Tolerance), built at start-up, so every breaker exists before the
 * first plan or metrics scrape asks for its state. Only failures that say the backend is unhealthy count
 * ({@link UpstreamFailure#countsAgainstBackend}), and each request counts once per backend, so the retries of one
 * request cannot open a breaker on their own. What the caller's own request caused counts neither way: a refusal
 * ({@link #answered}) and, within limits, a 500 the request brings about again and again ({@link #failedOnRequest}).
 */
@Startup
@ApplicationScoped
public class BackendGuards {

    private static final TypeLiteral<Uni<UpstreamReply>> REPLY = new TypeLiteral<>() {};

    private final Map<Backend, Guard> guards = new HashMap<>();
    private final int requestFailuresExcused;

    public BackendGuards(ProviderRegistry registry, RouterConfig config) {
        RouterConfig.Dispatch.Breaker breaker = config.dispatch().breaker();
        requestFailuresExcused = breaker.failureThreshold();
        for (Backend backend : registry.backends()) {
            AtomicReference<CompletableFuture<Void>> nextChange = new AtomicReference<>(new CompletableFuture<>());
            TypedGuard<Uni<UpstreamReply>> circuitBreaker = TypedGuard.create(REPLY)
                    .withDescription(backend.breakerName())
                    .withCircuitBreaker()
                        .name(backend.breakerName())
                        .requestVolumeThreshold(breaker.failureThreshold())
                        .failureRatio(1.0)
                        .successThreshold(1)
                        .delay(breaker.openFor().toMillis(), ChronoUnit.MILLIS)
                        .when(UpstreamFailure::countsAgainstBackend)
                        .onStateChange(state -> {
                            backend.onBreakerStateChange(state);
                            // SmallRye has set the new state by now, so a waiter woken here sees it.
                            nextChange.getAndSet(new CompletableFuture<>()).complete(null);
                        })
                        .done()
                    .withThreadOffload(false)
                    .build();
            guards.put(backend, new Guard(circuitBreaker, nextChange, new AtomicInteger()));
        }
    }

    /**
     * Sends a call through the backend's breaker, for a breaker that is not closed: a half-open one whose probe is not
     * in flight yet lets it through as that probe, which decides the breaker's state; otherwise the call is refused
     * with a {@link org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException}. Any answer closes
     * a half-open breaker, a refusal of the caller's request included: the backend is answering.
     */
    Uni<UpstreamReply> throughBreaker(Backend backend, Supplier<Uni<UpstreamReply>> call) {
        Guard guard = guards.get(backend);
        return guard.breaker().get(call).invoke(reply -> {
            if (reply.status() < 400) {
                guard.requestFailuresInARow().set(0);
            }
        });
    }

    /**
     * How one request went on a backend whose breaker it did not pass through: its answer. A refusal (a 4xx passed
     * back to the caller, which only a request the backend cannot take brings about) says nothing about the backend
     * and counts neither as a success nor as a failure.
     */
    void answered(Backend backend, UpstreamReply reply) {
        if (reply.status() >= 400) {
            return;
        }
        Guard guard = guards.get(backend);
        guard.requestFailuresInARow().set(0);
        record(guard, Uni.createFrom().item(reply));
    }

    /** How one request went on a backend whose breaker it did not pass through: its last failure there. */
    void failed(Backend backend, UpstreamFailure failure) {
        record(guards.get(backend), Uni.createFrom().failure(failure));
    }

    /**
     * A failure the request itself seems to cause (the same 500 again for the same body). It does not count, so one
     * request the backend chokes on cannot take the backend away from every other caller; but once the backend has
     * failed this way {@code failure-threshold} requests in a row without answering one in between, it is failing
     * whatever it is sent, and these failures count again.
     */
    void failedOnRequest(Backend backend, UpstreamFailure failure) {
        if (guards.get(backend).requestFailuresInARow().incrementAndGet() > requestFailuresExcused) {
            failed(backend, failure);
        }
    }

    /** Completes once the backend's breaker is not half-open: at once, or when its probe has had its outcome. */
    CompletionStage<Void> probeFinished(Backend backend) {
        CompletableFuture<Void> nextChange = guards.get(backend).nextChange().get();
        return backend.breakerState() == CircuitBreakerState.HALF_OPEN ? nextChange : CompletableFuture.completedFuture(null);
    }

    /** A breaker that opened meanwhile refuses the record, which changes nothing. */
    private static void record(Guard guard, Uni<UpstreamReply> outcome) {
        guard.breaker().get(() -> outcome).subscribe().with(ignored -> { }, ignored -> { });
    }

    /** A backend's breaker, what wakes those waiting for its next change of state, and its run of request-caused failures. */
    private record Guard(TypedGuard<Uni<UpstreamReply>> breaker, AtomicReference<CompletableFuture<Void>> nextChange,
            AtomicInteger requestFailuresInARow) {}
}
