package io.tiergate.quota;

/** Tokens and audio seconds of one call, estimated before it or measured after it; a call always counts one request. */
public record UsageAmount(long tokens, long audioSeconds) {

    public static final UsageAmount NONE = new UsageAmount(0, 0);

    /** Largest amount of one call: keeps every counter exact in quota.lua, whose numbers are doubles. */
    public static final long MAX = 1L << 40;

    public UsageAmount {
        if (tokens < 0 || audioSeconds < 0 || tokens > MAX || audioSeconds > MAX) {
            throw new IllegalArgumentException(
                    "usage amounts must be between 0 and " + MAX + ": " + tokens + " tokens, " + audioSeconds + " s");
        }
    }

    public static UsageAmount tokens(long tokens) {
        return new UsageAmount(tokens, 0);
    }

    public static UsageAmount audioSeconds(long seconds) {
        return new UsageAmount(0, seconds);
    }

    /** The amount of one unit: requests are always 1. */
    public long of(QuotaUnit unit) {
        return switch (unit) {
            case REQUESTS -> 1;
            case TOKENS -> tokens;
            case AUDIO_SECONDS -> audioSeconds;
        };
    }
}
