package io.tiergate.router.config;

import io.quarkus.runtime.Startup;
import io.tiergate.quota.QuotaLimitsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Checks what type conversion alone cannot: ranges, URLs and cross references. Startup fails
 * with every bad key named, rather than the first request failing later.
 */
@Startup
@ApplicationScoped
public class ConfigValidator {

    private static final Logger LOG = Logger.getLogger(ConfigValidator.class);
    /** Beyond this an answer gets long enough that models start dropping lines. */
    private static final int MAX_LINES_PER_CHAT_CALL = 200;

    public ConfigValidator(RouterConfig config) {
        List<String> errors = validate(config);
        if (!errors.isEmpty()) {
            throw new IllegalStateException("Invalid Tiergate configuration:\n  " + String.join("\n  ", errors));
        }
        if (config.providers().isEmpty()) {
            LOG.warn("No providers are configured (tiergate.providers); every routed request will get 503");
        }
    }

    static List<String> validate(RouterConfig config) {
        List<String> errors = new ArrayList<>();
        RouterConfig.Scoring scoring = config.scoring();
        if (scoring.mediumThreshold() <= 0 || scoring.mediumThreshold() >= scoring.complexThreshold() || scoring.complexThreshold() > 10) {
            errors.add("tiergate.scoring.medium-threshold and complex-threshold must satisfy 0 < medium < complex <= 10");
        }
        if (config.dispatch().jitter() < 0 || config.dispatch().jitter() > 1) {
            errors.add("tiergate.dispatch.jitter must be between 0 and 1");
        }
        if (config.dispatch().maxRetries() < 0) {
            errors.add("tiergate.dispatch.max-retries must not be negative");
        }
        if (config.dispatch().breaker().failureThreshold() < 1) {
            errors.add("tiergate.dispatch.breaker.failure-threshold must be at least 1");
        }
        if (config.dispatch().bulkhead().maxConcurrency() < 1) {
            errors.add("tiergate.dispatch.bulkhead.max-concurrency must be at least 1");
        }
        if (config.classification().batchSize() < 1 || config.classification().batchSize() > MAX_LINES_PER_CHAT_CALL) {
            errors.add("tiergate.classification.batch-size must be between 1 and " + MAX_LINES_PER_CHAT_CALL);
        }
        if (config.classification().concurrency() < 1) {
            errors.add("tiergate.classification.concurrency must be at least 1");
        }
        if (config.maxBodyBytes() < 1024) {
            errors.add("tiergate.max-body-bytes must be at least 1024");
        }
        for (Map.Entry<String, RouterConfig.ProviderConfig> entry : config.providers().entrySet()) {
            validateProvider("tiergate.providers." + entry.getKey(), entry.getValue(), errors);
        }
        return errors;
    }

    private static void validateProvider(String key, RouterConfig.ProviderConfig provider, List<String> errors) {
        try {
            URI uri = URI.create(provider.baseUrl());
            if (uri.getHost() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                errors.add(key + ".base-url must be an absolute http(s) URL, not '" + provider.baseUrl() + "'");
            }
        } catch (IllegalArgumentException e) {
            errors.add(key + ".base-url is not a URL: '" + provider.baseUrl() + "'");
        }
        if (provider.capabilities().isEmpty()) {
            errors.add(key + ".capabilities must name at least one capability");
        }
        if (provider.tiers().isEmpty()) {
            errors.add(key + ".tiers must name at least one of simple, medium, complex");
        }
        for (Tier tier : provider.models().keySet()) {
            if (!provider.tiers().contains(tier)) {
                errors.add(key + ".models." + tier.wireName() + " names a tier the provider does not serve");
            }
        }
        if (provider.priority() < 0) {
            errors.add(key + ".priority must not be negative");
        }
        if (provider.maxConcurrency().isPresent() && provider.maxConcurrency().get() < 1) {
            errors.add(key + ".max-concurrency must be at least 1");
        }
        RouterConfig.Cost cost = provider.cost();
        if (cost.inputPerMillion() < 0 || cost.outputPerMillion() < 0 || cost.audioPerMinute() < 0) {
            errors.add(key + ".cost values must not be negative");
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
        window.perMinute().ifPresent(v -> {
            if (v < 0) {
                errors.add(key + ".per-minute must not be negative");
            }
        });
        window.perDay().ifPresent(v -> {
            if (v < 0) {
                errors.add(key + ".per-day must not be negative");
            }
        });
    }
}
