package io.tiergate.router.api;

import io.tiergate.quota.FailurePolicy;
import io.tiergate.router.config.ProvidersConfig;
import io.tiergate.router.providers.Backend;
import io.tiergate.router.config.Capability;
import io.tiergate.router.config.Protocol;
import io.tiergate.router.providers.Provider;
import io.tiergate.router.providers.ProviderOverrides;
import io.tiergate.router.config.Tier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;

/**
 * A provider as the admin API shows it: configuration plus run-time switches, never a key. {@code scope} says where the
 * switches hold: {@code cluster} (stored in Redis, every replica applies them) or {@code replica} (changed while Redis
 * was unreachable: this replica only, until Redis answers again).
 */
public record ProviderView(String name, boolean enabled, int priority, String scope, Protocol protocol, String baseUrl,
        Set<Capability> capabilities, List<Tier> tiers, boolean paid, boolean local, long timeoutMs, Map<Tier, String> models,
        Cost cost, Long maxAudioBytes, Long maxAudioSeconds, String healthUrl, Quota quota, List<Account> accounts) {

    public record Quota(String failurePolicy, String resetTime, String resetZone) {}

    public record Cost(double inputPerMillion, double outputPerMillion, double audioPerMinute) {}

    /** An account; {@code limits} maps unit (requests, tokens, audio_seconds) to window (per_minute, per_hour, per_day) to limit. */
    public record Account(String id, String apiKeyEnv, boolean apiKeyPresent, Map<String, Map<String, Long>> limits) {}

    static ProviderView of(Provider provider, ProviderOverrides.Scope scope) {
        ProvidersConfig.ProviderConfig c = provider.config();
        ProvidersConfig.Cost cost = c.cost();
        List<Account> accounts = provider.backends().stream().map(ProviderView::account).toList();
        FailurePolicy policy = c.quota().failurePolicy().orElse(FailurePolicy.defaultFor(c.paid()));
        return new ProviderView(provider.name(), provider.enabled(), provider.priority(), scope.name().toLowerCase(Locale.ROOT),
                c.protocol(), c.baseUrl(),
                c.capabilities(), c.tiers(), c.paid(), c.local(), provider.timeout().toMillis(), c.models(),
                new Cost(cost.inputPerMillion(), cost.outputPerMillion(), cost.audioPerMinute()), c.maxAudioBytes().orElse(null),
                c.maxAudioSeconds().orElse(null), c.healthUrl().orElse(null),
                new Quota(policy.name().toLowerCase(Locale.ROOT), c.quota().reset().time().toString(), c.quota().reset().zone().getId()),
                accounts);
    }

    private static Account account(Backend backend) {
        Map<String, Map<String, Long>> limits = new LinkedHashMap<>();
        backend.quota().ifPresent(quota -> quota.limits().forEach((unit, windows) -> {
            Map<String, Long> byWindow = new LinkedHashMap<>();
            windows.forEach((window, limit) -> byWindow.put("per_" + window.name().toLowerCase(Locale.ROOT), limit));
            limits.put(unit.name().toLowerCase(Locale.ROOT), byWindow);
        }));
        return new Account(backend.account(), backend.apiKeyEnv(), backend.apiKey().isPresent(), limits);
    }
}
