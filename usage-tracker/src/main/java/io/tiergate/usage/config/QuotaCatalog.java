package io.tiergate.usage.config;

import io.tiergate.quota.AccountQuota;
import io.tiergate.quota.QuotaConfigs;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The quota-limited providers and their accounts, from configuration. A provider whose accounts have no limits
 * (a local pod) is not here: it never needs a reservation.
 */
@Singleton
public class QuotaCatalog {

    private final Map<String, List<AccountQuota>> byProvider;

    public QuotaCatalog(SharedProviders config) {
        Map<String, List<AccountQuota>> providers = new LinkedHashMap<>();
        config.all().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> {
            SharedProviders.Provider provider = entry.getValue();
            List<AccountQuota> accounts = new ArrayList<>();
            provider.accounts().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(account -> accounts.add(
                    QuotaConfigs.accountQuota(entry.getKey(), account.getKey(), provider.paid(), provider.quota(), account.getValue().limits())));
            if (accounts.stream().anyMatch(AccountQuota::hasLimits)) {
                providers.put(entry.getKey(), List.copyOf(accounts));
            }
        });
        this.byProvider = Map.copyOf(providers);
    }

    public Optional<List<AccountQuota>> accounts(String provider) {
        return Optional.ofNullable(byProvider.get(provider));
    }

    public Optional<AccountQuota> account(String provider, String account) {
        return accounts(provider).flatMap(list -> list.stream().filter(a -> a.account().equals(account)).findFirst());
    }

    public List<String> providers() {
        return byProvider.keySet().stream().sorted().toList();
    }

    public List<AccountQuota> all() {
        return providers().stream().flatMap(p -> byProvider.get(p).stream()).toList();
    }
}
