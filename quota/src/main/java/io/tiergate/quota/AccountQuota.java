package io.tiergate.quota;

import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The quota of one provider account (organization or project, shared by all its keys): limits per unit
 * and window, when its day ends, and what to do while Redis is unreachable. A unit/window pair absent
 * from {@code limits} is counted but never limits.
 */
public record AccountQuota(
        String provider, String account, Map<QuotaUnit, Map<QuotaWindow, Long>> limits, DailyReset reset, FailurePolicy policy) {

    public AccountQuota {
        QuotaKeys.requireName("provider", provider);
        QuotaKeys.requireName("account", account);
        EnumMap<QuotaUnit, Map<QuotaWindow, Long>> copy = new EnumMap<>(QuotaUnit.class);
        limits.forEach((unit, windows) -> {
            EnumMap<QuotaWindow, Long> perWindow = new EnumMap<>(QuotaWindow.class);
            windows.forEach((window, limit) -> {
                if (limit == null || limit < 0) {
                    throw new IllegalArgumentException(
                            provider + "/" + account + ": limit " + unit + "/" + window + " must be zero or more, got " + limit);
                }
                perWindow.put(window, limit);
            });
            if (!perWindow.isEmpty()) {
                copy.put(unit, Map.copyOf(perWindow));
            }
        });
        limits = Map.copyOf(copy);
        if (reset == null || policy == null) {
            throw new IllegalArgumentException(provider + "/" + account + ": reset and failure policy are required");
        }
    }

    public OptionalLong limit(QuotaUnit unit, QuotaWindow window) {
        Long limit = limits.getOrDefault(unit, Map.of()).get(window);
        return limit == null ? OptionalLong.empty() : OptionalLong.of(limit);
    }

    /** Whether any window of this account limits {@code unit}. */
    public boolean isLimitedIn(QuotaUnit unit) {
        return limits.containsKey(unit);
    }

    /** An account without any limit never needs a reservation. */
    public boolean hasLimits() {
        return !limits.isEmpty();
    }
}
