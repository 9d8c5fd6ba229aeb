package io.tiergate.usage;

import io.tiergate.quota.testing.MutableClock;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Replaces the ledger's system clock, so tests cross windows and TTLs without sleeping. */
public class TestClock {

    @Produces
    @Singleton
    @Alternative
    @Priority(1)
    MutableClock clock() {
        return new MutableClock();
    }
}
