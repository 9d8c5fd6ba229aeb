package io.tiergate.quota;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * {@code tiergate.quota.*}: the ledger's own settings. The Redis connection itself is {@code quarkus.redis.*}
 * (hosts, client-type standalone|sentinel|cluster, master-name, ...).
 */
@ConfigMapping(prefix = "tiergate.quota")
public interface QuotaStoreConfig {

    /** An unsettled reservation is refunded after this, so a crashed caller never leaks quota. */
    @WithDefault("5m")
    Duration reservationTtl();

    /** A Redis call slower than this counts as Redis being unreachable. */
    @WithDefault("500ms")
    Duration redisTimeout();

    /** How often an unreachable Redis is tried again. */
    @WithDefault("1s")
    Duration retryInterval();

    @WithDefault("tiergate:quota")
    String keyPrefix();

    /** Commits and releases kept while Redis is unreachable, replayed when it returns. */
    @WithDefault("10000")
    int maxDeferred();
}
