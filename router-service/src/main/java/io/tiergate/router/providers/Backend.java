package io.tiergate.router.providers;

import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Uni;
import io.tiergate.router.dispatch.UpstreamReply;
import java.time.Instant;
import java.util.Optional;

/**
 * One place a request can be sent: a provider reached with one of its accounts. Each backend has
 * its own circuit breaker and bulkhead, so one failing account never takes its siblings down.
 */
public final class Backend {

    private final Provider provider;
    private final String account;
    private final Optional<String> apiKey;
    private final String apiKeyEnv;
    private final String breakerName;
    private final TypedGuard<Uni<UpstreamReply>> guard;
    private final BackendStats stats = new BackendStats();
    private final long openForMillis;
    private volatile long openedAtMillis;

    Backend(Provider provider, String account, String apiKeyEnv, Optional<String> apiKey,
            GuardFactory guards, long openForMillis) {
        this.provider = provider;
        this.account = account;
        this.apiKeyEnv = apiKeyEnv;
        this.apiKey = apiKey;
        this.breakerName = "backend:" + provider.name() + "/" + account;
        this.openForMillis = openForMillis;
        this.guard = guards.create(this);
    }

    public Provider provider() {
        return provider;
    }

    public String account() {
        return account;
    }

    public Optional<String> apiKey() {
        return apiKey;
    }

    /** The environment variable expected to hold the key, for explanations; never the key itself. */
    public String apiKeyEnv() {
        return apiKeyEnv;
    }

    public boolean needsKey() {
        return apiKeyEnv != null;
    }

    public String breakerName() {
        return breakerName;
    }

    public TypedGuard<Uni<UpstreamReply>> guard() {
        return guard;
    }

    public BackendStats stats() {
        return stats;
    }

    public CircuitBreakerState breakerState() {
        return CircuitBreakerMaintenance.get().currentState(breakerName);
    }

    /** When an open breaker lets a probe through, or empty while it is not open. */
    public Optional<Instant> openUntil() {
        return breakerState() == CircuitBreakerState.OPEN
                ? Optional.of(Instant.ofEpochMilli(openedAtMillis + openForMillis))
                : Optional.empty();
    }

    void onBreakerStateChange(CircuitBreakerState state) {
        if (state == CircuitBreakerState.OPEN) {
            openedAtMillis = System.currentTimeMillis();
        }
    }

    public String id() {
        return provider.name() + "/" + account;
    }

    /** Builds a backend's guard; kept apart so the registry decides the fault-tolerance settings in one place. */
    @FunctionalInterface
    interface GuardFactory {
        TypedGuard<Uni<UpstreamReply>> create(Backend backend);
    }
}
