package io.tiergate.quota;

import java.time.Duration;

/**
 * How the ledger talks to Redis.
 *
 * @param reservationTtl how long an unsettled reservation holds quota before it is refunded on its own
 * @param redisTimeout how long one Redis call may take before Redis counts as unreachable
 * @param retryInterval how often an unreachable Redis is tried again
 * @param heartbeatInterval how often this process tells Redis it is alive and reads the counts of the accounts it
 *     serves open, whose headroom it takes its share of while Redis is unreachable
 * @param keyPrefix first part of every quota key
 * @param maxDeferred settlements kept in memory while Redis is unreachable; beyond this they are dropped
 * @param allotment how many calls one Redis reservation may hold for this process to hand out
 */
public record QuotaSettings(
        Duration reservationTtl, Duration redisTimeout, Duration retryInterval, Duration heartbeatInterval, String keyPrefix,
        int maxDeferred, AllotmentSettings allotment) {

    public QuotaSettings {
        if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
            throw new IllegalArgumentException("tiergate.quota.heartbeat-interval must be positive, got " + heartbeatInterval);
        }
    }

    /**
     * @param maxCalls most calls one reservation may hold; 1 turns allotments off
     * @param share largest share of the calls still fitting an account that one block may take
     * @param holdFor how long a block hands out calls before it is settled
     */
    public record AllotmentSettings(int maxCalls, double share, Duration holdFor) {

        /** Keeps a block's amounts exact in quota.lua, whose numbers are doubles (see {@link UsageAmount#MAX}). */
        static final int MAX_CALLS = 1024;

        /** Every call reserves on Redis itself. */
        public static final AllotmentSettings NONE = new AllotmentSettings(1, 0, Duration.ZERO);

        public AllotmentSettings {
            if (maxCalls < 1 || maxCalls > MAX_CALLS) {
                throw new IllegalArgumentException(
                        "tiergate.quota.allotment.max-calls must be between 1 and " + MAX_CALLS + ", got " + maxCalls);
            }
            if (maxCalls > 1 && (share <= 0 || share > 1)) {
                throw new IllegalArgumentException("tiergate.quota.allotment.share must be in (0, 1], got " + share);
            }
            if (maxCalls > 1 && (holdFor.isNegative() || holdFor.isZero())) {
                throw new IllegalArgumentException("tiergate.quota.allotment.hold-for must be positive, got " + holdFor);
            }
        }

        boolean enabled() {
            return maxCalls > 1;
        }
    }

    public static QuotaSettings from(QuotaStoreConfig config) {
        QuotaStoreConfig.Allotment allotment = config.allotment();
        return new QuotaSettings(config.reservationTtl(), config.redisTimeout(), config.retryInterval(), config.heartbeatInterval(),
                config.keyPrefix(), config.maxDeferred(),
                new AllotmentSettings(allotment.maxCalls(), allotment.share(), allotment.holdFor()));
    }
}
