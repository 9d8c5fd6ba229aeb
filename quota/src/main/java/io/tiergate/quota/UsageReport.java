package io.tiergate.quota;

import java.time.Instant;
import java.util.List;

/**
 * Used, reserved and limit per unit and window for some accounts, as of {@code at}. {@code source} says whether
 * the numbers are the shared ones in Redis or, while Redis is unreachable, this process's own: what it served and
 * the share of the limit it may serve (see {@link FailurePolicy#OPEN}).
 */
public record UsageReport(Instant at, Source source, List<AccountUsage> accounts) {

    public enum Source {
        REDIS,
        MEMORY
    }

    public UsageReport {
        accounts = List.copyOf(accounts);
    }

    /** {@code cooldownUntil} is null unless the account is cooling down. */
    public record AccountUsage(String provider, String account, Instant cooldownUntil, List<WindowUsage> windows) {
        public AccountUsage {
            windows = List.copyOf(windows);
        }

        public WindowUsage window(QuotaUnit unit, QuotaWindow window) {
            return windows.stream()
                    .filter(w -> w.unit() == unit && w.window() == window)
                    .findFirst()
                    .orElseThrow();
        }
    }

    /** {@code limit} is null where the account has no limit for this unit and window. */
    public record WindowUsage(QuotaUnit unit, QuotaWindow window, long used, long reserved, Long limit, Instant resetAt) {

        /** Whether one more call of {@code need} fits this window now, by {@link QuotaRule}. */
        public boolean admits(UsageAmount need) {
            return limit == null || QuotaRule.fits(limit, used, reserved, need.of(unit));
        }
    }
}
