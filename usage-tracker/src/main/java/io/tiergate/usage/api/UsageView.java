package io.tiergate.usage.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.tiergate.quota.QuotaUnit;
import io.tiergate.quota.QuotaWindow;
import io.tiergate.quota.UsageReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code GET /v1/usage}: per provider and account, used, reserved and limit per unit and window, and when each
 * window resets. {@code source} is {@code redis}, or {@code memory} while Redis is unreachable.
 */
public record UsageView(Instant at, String source, List<ProviderUsage> providers) {

    public record ProviderUsage(String provider, List<AccountUsage> accounts) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AccountUsage(String account, Instant cooldownUntil, List<WindowUsage> windows) {}

    /** {@code limit} is absent where the account has none for this unit and window. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record WindowUsage(String unit, String window, long used, long reserved, Long limit, Instant resetAt) {}

    static UsageView of(UsageReport report) {
        Map<String, List<AccountUsage>> byProvider = new LinkedHashMap<>();
        for (UsageReport.AccountUsage account : report.accounts()) {
            byProvider.computeIfAbsent(account.provider(), p -> new ArrayList<>()).add(new AccountUsage(account.account(),
                    account.cooldownUntil(),
                    account.windows().stream()
                            .map(w -> new WindowUsage(unitName(w.unit()), windowName(w.window()), w.used(), w.reserved(), w.limit(), w.resetAt()))
                            .toList()));
        }
        List<ProviderUsage> providers = new ArrayList<>();
        byProvider.forEach((provider, accounts) -> providers.add(new ProviderUsage(provider, accounts)));
        return new UsageView(report.at(), report.source().name().toLowerCase(Locale.ROOT), providers);
    }

    static String unitName(QuotaUnit unit) {
        return unit.name().toLowerCase(Locale.ROOT);
    }

    static String windowName(QuotaWindow window) {
        return window.name().toLowerCase(Locale.ROOT);
    }
}
