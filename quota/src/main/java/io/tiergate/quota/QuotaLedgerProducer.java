package io.tiergate.quota;

import io.quarkus.arc.DefaultBean;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** One ledger per application on the default Redis client ({@code quarkus.redis.*}). */
@ApplicationScoped
public class QuotaLedgerProducer {

    /** Tests replace this with a clock they move, to cross window boundaries without sleeping. */
    @Produces
    @Singleton
    @DefaultBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    QuotaLedger quotaLedger(Redis redis, Clock clock, QuotaStoreConfig config) {
        return new QuotaLedger(redis, clock, QuotaSettings.from(config));
    }

    void closeLedger(@Disposes QuotaLedger ledger) {
        ledger.close();
    }
}
