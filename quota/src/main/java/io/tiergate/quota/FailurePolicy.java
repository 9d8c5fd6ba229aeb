package io.tiergate.quota;

/** What a provider's accounts do while Redis cannot be reached. */
public enum FailurePolicy {
    /** Refuse: never risk exceeding a paid quota. */
    CLOSED,
    /**
     * Serve this replica's share of each account's headroom as last read from Redis (divided by the replicas alive
     * then), count in this process's memory, and add those counts to Redis when it returns.
     */
    OPEN;

    /** Paid providers fail closed unless configured otherwise; free ones fail open. */
    public static FailurePolicy defaultFor(boolean paid) {
        return paid ? CLOSED : OPEN;
    }
}
