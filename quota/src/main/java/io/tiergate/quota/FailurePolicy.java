package io.tiergate.quota;

/** What a provider's accounts do while Redis cannot be reached. */
public enum FailurePolicy {
    /** Refuse: never risk exceeding a paid quota. */
    CLOSED,
    /** Serve, count in this process's memory, and add those counts to Redis when it returns. */
    OPEN;

    /** Paid providers fail closed unless configured otherwise; free ones fail open. */
    public static FailurePolicy defaultFor(boolean paid) {
        return paid ? CLOSED : OPEN;
    }
}
