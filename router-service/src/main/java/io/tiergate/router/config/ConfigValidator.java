package io.tiergate.router.config;

import io.quarkus.runtime.Startup;
import io.tiergate.quota.QuotaLimitsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.jboss.logging.Logger;

/**
 * Checks what neither type conversion nor the Bean Validation constraints on the mappings can: URLs and what depends
 * on several keys. Startup fails with every bad key named, rather than the first request failing later.
 */
@Startup
@ApplicationScoped
public class ConfigValidator {

    private static final Logger LOG = Logger.getLogger(ConfigValidator.class);

    public ConfigValidator(RouterConfig config, ProvidersConfig providers) {
        List<String> errors = validate(config, providers);
        if (!errors.isEmpty()) {
            throw new IllegalStateException("Invalid Tiergate configuration:\n  " + String.join("\n  ", errors));
        }
        if (providers.all().isEmpty()) {
            LOG.warn("No providers are configured (tiergate.providers); every routed request will get 503");
        }
    }

    static List<String> validate(RouterConfig config, ProvidersConfig providers) {
        List<String> errors = new ArrayList<>();
        RouterConfig.Scoring scoring = config.scoring();
        if (scoring.mediumThreshold() >= scoring.complexThreshold()) {
            errors.add("tiergate.router.scoring.medium-threshold must be below complex-threshold");
        }
        for (Map.Entry<String, ProvidersConfig.ProviderConfig> entry : providers.all().entrySet()) {
            validateProvider("tiergate.providers." + entry.getKey(), entry.getValue(), errors);
        }
        return errors;
    }

    private static void validateProvider(String key, ProvidersConfig.ProviderConfig provider, List<String> errors) {
        try {
            URI uri = URI.create(provider.baseUrl());
            if (uri.getHost() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                errors.add(key + ".base-url must be an absolute http(s) URL, not '" + provider.baseUrl() + "'");
            }
        } catch (IllegalArgumentException e) {
            errors.add(key + ".base-url is not a URL: '" + provider.baseUrl() + "'");
        }
        if (provider.protocol() == Protocol.HF_INFERENCE && provider.capabilities().contains(Capability.TRANSCRIPTION)
                && provider.models().isEmpty()) {
            errors.add(key + ".models must name a model: Hugging Face's speech recognition takes it in its URL");
        }
        for (Tier tier : provider.models().keySet()) {
            if (!provider.tiers().contains(tier)) {
                errors.add(key + ".models." + tier.wireName() + " names a tier the provider does not serve");
            }
        }
        provider.accounts().forEach((account, config) -> {
            String accountKey = key + ".accounts." + account;
            if (config.apiKeyEnv().isEmpty() && !provider.local() && provider.protocol() != Protocol.POD) {
                errors.add(accountKey + ".api-key-env must name the environment variable holding the key");
            }
            checkWindow(accountKey + ".limits.requests", config.limits().requests(), errors);
            checkWindow(accountKey + ".limits.tokens", config.limits().tokens(), errors);
            checkWindow(accountKey + ".limits.audio-seconds", config.limits().audioSeconds(), errors);
        });
    }

    private static void checkWindow(String key, QuotaLimitsConfig.Window window, List<String> errors) {
        checkLimit(key + ".per-minute", window.perMinute(), errors);
        checkLimit(key + ".per-hour", window.perHour(), errors);
        checkLimit(key + ".per-day", window.perDay(), errors);
    }

    private static void checkLimit(String key, OptionalLong limit, List<String> errors) {
        if (limit.isPresent() && limit.getAsLong() < 0) {
            errors.add(key + " must not be negative");
        }
    }
}
