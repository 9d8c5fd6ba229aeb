package io.tiergate.quota;

import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalLong;

/** Turns the shared YAML's quota pieces into {@link AccountQuota}s. */
public final class QuotaConfigs {

    private QuotaConfigs() {}

    public static AccountQuota accountQuota(
            String provider, String account, boolean paid, QuotaPolicyConfig policy, QuotaLimitsConfig limits) {
        Map<QuotaUnit, Map<QuotaWindow, Long>> byUnit = new EnumMap<>(QuotaUnit.class);
        put(byUnit, QuotaUnit.REQUESTS, limits.requests());
        put(byUnit, QuotaUnit.TOKENS, limits.tokens());
        put(byUnit, QuotaUnit.AUDIO_SECONDS, limits.audioSeconds());
        return new AccountQuota(provider, account, byUnit,
                new DailyReset(policy.reset().time(), policy.reset().zone()),
                policy.failurePolicy().orElse(FailurePolicy.defaultFor(paid)));
    }

    private static void put(Map<QuotaUnit, Map<QuotaWindow, Long>> byUnit, QuotaUnit unit, QuotaLimitsConfig.Window window) {
        Map<QuotaWindow, Long> perWindow = new EnumMap<>(QuotaWindow.class);
        put(perWindow, QuotaWindow.MINUTE, window.perMinute());
        put(perWindow, QuotaWindow.HOUR, window.perHour());
        put(perWindow, QuotaWindow.DAY, window.perDay());
        if (!perWindow.isEmpty()) {
            byUnit.put(unit, perWindow);
        }
    }

    private static void put(Map<QuotaWindow, Long> perWindow, QuotaWindow window, OptionalLong limit) {
        limit.ifPresent(value -> perWindow.put(window, value));
    }
}
