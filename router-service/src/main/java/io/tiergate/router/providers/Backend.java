package io.tiergate.router.providers;

import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.TypedGuard;
import io.smallrye.mutiny.Uni;
import io.tiergate.quota.AccountQuota;
import io.tiergate.router.dispatch.UpstreamReply;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One place a request can be sent: a provider reached with one of its accounts. Each backend has
 * its own circuit breaker and concurrency limit, so one failing account never takes its siblings down.
 */
public final class Backend {

    private final Provider provider;
    private final String account;
    private final Optional<String> apiKey;
    private final String apiKeyEnv;
    private final Optional<AccountQuota> quota;
    private final String breakerName;
    private final TypedGuard<Uni<UpstreamReply>> guard;
    private final BackendStats stats = new BackendStats();
    private final long openForMillis;
    private volatile long openedAtMillis;
    private final int maxConcurrency;
    private final AtomicInteger inFlight = new AtomicInteger();

    Backend(Provider provider, String account, String apiKeyEnv, Optional<String> apiKey, Optional<AccountQuota> quota,
            GuardFactory guards, long openForMillis, int maxConcurrency) {
        this.provider = provider;
        this.account = account;
        this.quota = quota;
        this.apiKeyEnv = apiKeyEnv;
        this.apiKey = apiKey;
        this.breakerName = "backend:" + provider.name() + "/" + account;
        this.openForMillis = openForMillis;
        this.maxConcurrency = maxConcurrency;
        this.guard = guards.create(this);
    }

    /**
     * Bulkhead: takes one of the backend's call slots, or answers false when all are busy.
     * SmallRye's bulkhead queues excess calls without a time limit, while an excess call here should
     * wait only briefly and then move on to the next candidate, so the dispatcher decides the wait.
     */
    public boolean tryAcquireSlot() {
        while (true) {
            int current = inFlight.get();
            if (current >= maxConcurrency) {
                return false;
            }
            if (inFlight.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    public void releaseSlot() {
        inFlight.decrementAndGet();
    }

    public int inFlight() {
        return inFlight.get();
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

    /** The account's quota (possibly without limits); empty for a provider configured without accounts. */
    public Optional<AccountQuota> quota() {
        return quota;
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
