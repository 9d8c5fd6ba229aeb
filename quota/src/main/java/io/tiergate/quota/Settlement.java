package io.tiergate.quota;

/** What became of a commit or release. */
public enum Settlement {
    /** The held quota was settled: replaced by the actual usage, or refunded. */
    SETTLED,
    /**
     * No hold was found. Either the reservation had already expired and its hold was refunded, and a commit still
     * counts the actual usage in the current windows, since the provider counted it; or it was settled already, and
     * nothing is counted again.
     */
    EXPIRED,
    /**
     * No reservation of this id was granted, or it ended longer ago than the reservation TTL: nothing is counted, so
     * that an id nobody was given cannot spend an account's quota.
     */
    UNKNOWN,
    /** Redis was unreachable; the settlement is kept in memory and applied when Redis returns. */
    DEFERRED
}
