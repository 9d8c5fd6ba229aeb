package io.tiergate.router.providers;

import io.tiergate.quota.AccountQuota;
import io.tiergate.quota.QuotaConfigs;
import io.tiergate.router.config.ProvidersConfig;
import io.tiergate.router.config.RouterConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/** All configured providers and their backends, built once from configuration. */
@ApplicationScoped
public class ProviderRegistry {

    /** The account name of a provider configured without accounts (a local engine that needs no key). */
    public static final String ANONYMOUS_ACCOUNT = "default";

    private final Map<String, Provider> providers = new LinkedHashMap<>();
    private final List<Backend> backends = new ArrayList<>();

    public ProviderRegistry(RouterConfig config, ProvidersConfig providersConfig, Config secrets) {
        RouterConfig.Dispatch dispatch = config.dispatch();
        long openForMillis = dispatch.breaker().openFor().toMillis();
        providersConfig.all().forEach((name, providerConfig) -> {
            Provider provider = new Provider(name, providerConfig, dispatch.attemptTimeout());
            int concurrency = providerConfig.maxConcurrency().orElse(dispatch.bulkhead().maxConcurrency());
            if (providerConfig.accounts().isEmpty()) {
                provider.addBackend(new Backend(provider, ANONYMOUS_ACCOUNT, null, Optional.empty(), Optional.empty(),
                        openForMillis, concurrency));
            }
            providerConfig.accounts().forEach((account, accountConfig) -> {
                String keyEnv = accountConfig.apiKeyEnv().orElse(null);
                // Keys are read through Config so both real environment variables and test settings supply them.
                Optional<String> key = accountConfig.apiKeyEnv()
                        .flatMap(env -> secrets.getOptionalValue(env, String.class))
                        .filter(value -> !value.isBlank());
                AccountQuota quota = QuotaConfigs.accountQuota(name, account, providerConfig.paid(), providerConfig.quota(),
                        accountConfig.limits());
                provider.addBackend(new Backend(provider, account, keyEnv, key, Optional.of(quota), openForMillis, concurrency));
            });
            providers.put(name, provider);
            backends.addAll(provider.backends());
        });
    }

    public List<Provider> all() {
        return Collections.unmodifiableList(new ArrayList<>(providers.values()));
    }

    public List<Backend> backends() {
        return Collections.unmodifiableList(backends);
    }

    public Optional<Provider> find(String name) {
        return Optional.ofNullable(providers.get(name));
    }
}
