package io.tiergate.quota;

/** What became of a commit or release. */
public enum Settlement {
    /** The held quota was settled: replaced by the actual usage, or refunded. */
    SETTLED,
    /**
     * The reservation had already expired and its hold was refunded; a commit still counts the actual usage in
     * the current windows, since the provider counted it.
     */
    EXPIRED,
    /** Redis was unreachable; the settlement is kept in memory and applied when Redis returns. */
    DEFERRED
}
