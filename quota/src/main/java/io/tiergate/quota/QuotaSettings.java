package io.tiergate.quota;

import java.time.Duration;

/**
 * How the ledger talks to Redis.
 *
 * @param reservationTtl how long an unsettled reservation holds quota before it is refunded on its own
 * @param redisTimeout how long one Redis call may take before Redis counts as unreachable
 * @param retryInterval how often an unreachable Redis is tried again
 * @param keyPrefix first part of every quota key
 * @param maxDeferred settlements kept in memory while Redis is unreachable; beyond this they are dropped
 */
public record QuotaSettings(Duration reservationTtl, Duration redisTimeout, Duration retryInterval, String keyPrefix, int maxDeferred) {

    public static QuotaSettings from(QuotaStoreConfig config) {
        return new QuotaSettings(
                config.reservationTtl(), config.redisTimeout(), config.retryInterval(), config.keyPrefix(), config.maxDeferred());
    }
}
