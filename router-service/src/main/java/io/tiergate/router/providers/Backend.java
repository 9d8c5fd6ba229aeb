package io.tiergate.router.providers;

import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.tiergate.quota.AccountQuota;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One place a request can be sent: a provider reached with one of its accounts. Each backend has
 * its own circuit breaker (named {@link #breakerName()}, built by the dispatcher) and concurrency limit, so one failing
 * account never takes its siblings down.
 */
public final class Backend {

    private final Provider provider;
    private final String account;
    private final Optional<String> apiKey;
    private final String apiKeyEnv;
    private final Optional<AccountQuota> quota;
    private final String breakerName;
    private final BackendStats stats = new BackendStats();
    private final long openForMillis;
    private volatile long openedAtMillis;
    private final int maxConcurrency;
    private final AtomicInteger inFlight = new AtomicInteger();

    Backend(Provider provider, String account, String apiKeyEnv, Optional<String> apiKey, Optional<AccountQuota> quota,
            long openForMillis, int maxConcurrency) {
        this.provider = provider;
        this.account = account;
        this.quota = quota;
        this.apiKeyEnv = apiKeyEnv;
        this.apiKey = apiKey;
        this.breakerName = "backend:" + provider.name() + "/" + account;
        this.openForMillis = openForMillis;
        this.maxConcurrency = maxConcurrency;
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

    /** Told by the backend's circuit breaker whenever its state changes. */
    public void onBreakerStateChange(CircuitBreakerState state) {
        if (state == CircuitBreakerState.OPEN) {
            openedAtMillis = System.currentTimeMillis();
        }
    }

    public String id() {
        return provider.name() + "/" + account;
    }
}
