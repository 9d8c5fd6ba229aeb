package io.tiergate.router.api;

import io.tiergate.router.config.RouterConfig;
import io.tiergate.router.providers.Backend;
import io.tiergate.router.providers.Capability;
import io.tiergate.router.providers.Protocol;
import io.tiergate.router.providers.Provider;
import io.tiergate.router.routing.Tier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/** A provider as the admin API shows it: configuration plus run-time switches, never a key. */
public record ProviderView(String name, boolean enabled, int priority, Protocol protocol, String baseUrl,
        Set<Capability> capabilities, List<Tier> tiers, boolean paid, boolean local, long timeoutMs, Map<Tier, String> models,
        Cost cost, String healthUrl, Quota quota, List<Account> accounts) {

    public record Quota(String failurePolicy, String resetTime, String resetZone) {}

    public record Cost(double inputPerMillion, double outputPerMillion, double audioPerMinute) {}

    /** An account; {@code limits} maps unit (requests, tokens, audio_seconds) to window (per_minute, per_day) to limit. */
    public record Account(String id, String apiKeyEnv, boolean apiKeyPresent, Map<String, Map<String, Long>> limits) {}

    static ProviderView of(Provider provider, RouterConfig config) {
        RouterConfig.ProviderConfig c = provider.config();
        RouterConfig.Cost cost = c.cost();
        List<Account> accounts = provider.backends().stream().map(backend -> account(backend, c)).toList();
        return new ProviderView(provider.name(), provider.enabled(), provider.priority(), c.protocol(), c.baseUrl(),
                c.capabilities(), c.tiers(), c.paid(), c.local(), provider.timeout().toMillis(), c.models(),
                new Cost(cost.inputPerMillion(), cost.outputPerMillion(), cost.audioPerMinute()), c.healthUrl().orElse(null),
                new Quota(failurePolicy(c), c.quota().reset().time().toString(), c.quota().reset().zone().getId()), accounts);
    }

    private static String failurePolicy(RouterConfig.ProviderConfig c) {
        RouterConfig.Quota.FailurePolicy policy = c.quota().failurePolicy()
                .orElse(c.paid() ? RouterConfig.Quota.FailurePolicy.CLOSED : RouterConfig.Quota.FailurePolicy.OPEN);
        return policy.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static Account account(Backend backend, RouterConfig.ProviderConfig provider) {
        RouterConfig.AccountConfig account = provider.accounts().get(backend.account());
        Map<String, Map<String, Long>> limits = new LinkedHashMap<>();
        if (account != null) {
            putWindow(limits, "requests", account.limits().requests());
            putWindow(limits, "tokens", account.limits().tokens());
            putWindow(limits, "audio_seconds", account.limits().audioSeconds());
        }
        return new Account(backend.account(), backend.apiKeyEnv(), backend.apiKey().isPresent(), limits);
    }

    private static void putWindow(Map<String, Map<String, Long>> limits, String unit, RouterConfig.Limits.Window window) {
        Map<String, Long> windows = new LinkedHashMap<>();
        put(windows, "per_minute", window.perMinute());
        put(windows, "per_day", window.perDay());
        if (!windows.isEmpty()) {
            limits.put(unit, windows);
        }
    }

    private static void put(Map<String, Long> windows, String name, OptionalLong value) {
        value.ifPresent(v -> windows.put(name, v));
    }
}
