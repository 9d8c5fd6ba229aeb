package io.tiergate.quota;

/**
 * The one rule for whether a call still fits an account's window: what is used, plus what is held for calls in flight,
 * plus this call's own amount must not pass the limit. quota.lua applies the same rule inside Redis; the in-memory
 * ledger and every explanation of a plan apply it here, so what is explained as possible is what a reservation grants.
 */
public final class QuotaRule {

    private QuotaRule() {}

    /** Whether a call needing {@code need} fits a window with this limit, usage and holds. */
    public static boolean fits(long limit, long used, long reserved, long need) {
        return headroomAfter(limit, used, reserved, need) >= 0;
    }

    /** What is left of the limit once the call is counted; negative when it does not fit. */
    public static long headroomAfter(long limit, long used, long reserved, long need) {
        return limit - used - reserved - need;
    }
}
