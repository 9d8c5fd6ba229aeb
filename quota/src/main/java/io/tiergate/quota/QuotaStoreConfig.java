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

    /**
     * How often this process tells Redis it is alive and reads the counts of the accounts it reserves on that fail
     * open. While Redis is unreachable it serves of such an account only its share of the headroom it last read:
     * divided by the number of processes embedding the ledger (routers and usage trackers) alive then. A process
     * not heard from for three intervals no longer counts.
     */
    @WithDefault("1s")
    Duration heartbeatInterval();

    @WithDefault("tiergate:quota")
    String keyPrefix();

    /** Commits and releases kept while Redis is unreachable, replayed when it returns. */
    @WithDefault("10000")
    int maxDeferred();

    /** How much quota one Redis reservation may take for this process to hand out from memory. */
    Allotment allotment();

    /**
     * A reservation may hold a block of calls (an allotment) that this process then hands out one at a time
     * without a Redis round trip, and settles in one commit. This trades a short delay in what other replicas
     * see for far fewer Redis calls on a hot path; ids of drawn calls are valid in this process only.
     */
    interface Allotment {

        /** Most calls one reservation may hold; 1 reserves every call on Redis. */
        @WithDefault("1")
        int maxCalls();

        /** Largest share of the calls that still fit in an account's tightest window that one block may take. */
        @WithDefault("0.1")
        double share();

        /** A block stops handing out calls after this (and at the end of its minute window), then is settled. */
        @WithDefault("1s")
        Duration holdFor();
    }
}
