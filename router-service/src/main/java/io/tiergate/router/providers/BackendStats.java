package io.tiergate.router.providers;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/** Outcome counters and a window of recent latencies for one backend, cheap enough for every request. */
public final class BackendStats {

    private static final int LATENCY_WINDOW = 256;

    private final AtomicLong successes = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLongArray recentMicros = new AtomicLongArray(LATENCY_WINDOW);
    private final AtomicLong recorded = new AtomicLong();
    private volatile String lastError;
    private volatile long lastErrorAtMillis;

    public void recordSuccess(long micros) {
        successes.incrementAndGet();
        recentMicros.set((int) (recorded.getAndIncrement() % LATENCY_WINDOW), micros);
    }

    public void recordError(String description) {
        errors.incrementAndGet();
        lastError = description;
        lastErrorAtMillis = System.currentTimeMillis();
    }

    public long successes() {
        return successes.get();
    }

    public long errors() {
        return errors.get();
    }

    public long served() {
        return successes.get() + errors.get();
    }

    public String lastError() {
        return lastError;
    }

    public long lastErrorAtMillis() {
        return lastErrorAtMillis;
    }

    /** Median of the recent successful latencies in milliseconds, or -1 before the first success. */
    public double p50Millis() {
        int n = (int) Math.min(recorded.get(), LATENCY_WINDOW);
        if (n == 0) {
            return -1;
        }
        long[] sample = new long[n];
        for (int i = 0; i < n; i++) {
            sample[i] = recentMicros.get(i);
        }
        Arrays.sort(sample);
        return sample[n / 2] / 1000.0;
    }
}
