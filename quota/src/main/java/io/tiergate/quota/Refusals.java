package io.tiergate.quota;

import io.tiergate.quota.ReservationResult.Cooldown;
import io.tiergate.quota.ReservationResult.Exhausted;
import io.tiergate.quota.ReservationResult.ExhaustedWindow;
import io.tiergate.quota.UsageReport.AccountUsage;
import io.tiergate.quota.UsageReport.WindowUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Builds the answers both stores give, so Redis and in-memory results look the same. */
final class Refusals {

    /**
     * When to try a window again that only holds of calls in flight fill: those free as the calls settle, typically
     * within a second, and one second is the finest Retry-After a caller is told.
     */
    static final Duration SETTLING = Duration.ofSeconds(1);

    private final String provider;
    private final Instant now;
    private final List<ExhaustedWindow> windows = new ArrayList<>();
    private final List<Cooldown> cooldowns = new ArrayList<>();
    private Instant retryAt;

    Refusals(String provider, Instant now) {
        this.provider = provider;
        this.now = now;
    }

    void cooldown(String account, Instant until) {
        cooldowns.add(new Cooldown(account, until));
        earliest(until);
    }

    /** One account's exhausted windows; it may become usable when the last of them frees. */
    void exhausted(List<ExhaustedWindow> accountWindows) {
        windows.addAll(accountWindows);
        earliest(accountWindows.stream().map(this::freesAt).max(Instant::compareTo).orElseThrow());
    }

    private Instant freesAt(ExhaustedWindow window) {
        Instant settled = now.plus(SETTLING);
        return window.heldByCallsInFlight() && settled.isBefore(window.resetAt()) ? settled : window.resetAt();
    }

    private void earliest(Instant availableAt) {
        if (retryAt == null || availableAt.isBefore(retryAt)) {
            retryAt = availableAt;
        }
    }

    Exhausted result() {
        return new Exhausted(provider, windows, cooldowns, retryAt);
    }

    /** counts: used then reserved for each unit and window, units outermost, as quota.lua's COUNTERS. */
    static AccountUsage usage(AccountQuota account, long cooldownUntil, long[] counts, Windows windows, Instant now) {
        Long[] limits = new Long[counts.length / 2];
        int l = 0;
        for (QuotaUnit unit : Codes.UNITS) {
            for (QuotaWindow window : Codes.WINDOWS) {
                var limit = account.limit(unit, window);
                limits[l++] = limit.isPresent() ? limit.getAsLong() : null;
            }
        }
        return usage(account, cooldownUntil, counts, limits, windows, now);
    }

    /** limits: one per unit and window in the order of counts, null where there is none. */
    static AccountUsage usage(AccountQuota account, long cooldownUntil, long[] counts, Long[] limits, Windows windows, Instant now) {
        List<WindowUsage> rows = new ArrayList<>();
        int c = 0;
        for (QuotaUnit unit : Codes.UNITS) {
            for (QuotaWindow window : Codes.WINDOWS) {
                rows.add(new WindowUsage(unit, window, counts[c], counts[c + 1], limits[c / 2], Instant.ofEpochMilli(windows.end(window))));
                c += 2;
            }
        }
        Instant cooldown = cooldownUntil > now.toEpochMilli() ? Instant.ofEpochMilli(cooldownUntil) : null;
        return new AccountUsage(account.provider(), account.account(), cooldown, rows);
    }
}
