package io.tiergate.router.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;
import io.tiergate.quota.QuotaLimitsConfig;
import io.tiergate.quota.QuotaPolicyConfig;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code tiergate.providers.<name>.*}: the providers, their accounts and quotas, in the section of the shared YAML that
 * every service reads (the usage tracker takes the accounts and limits from it).
 */
@ConfigMapping(prefix = "tiergate.providers")
public interface ProvidersConfig {

    /** Every configured provider by its name. */
    @WithParentName
    Map<String, ProviderConfig> all();

    interface ProviderConfig {
        @WithDefault("true")
        boolean enabled();

        Protocol protocol();

        String baseUrl();

        @Size(min = 1)
        Set<Capability> capabilities();

        @Size(min = 1)
        List<Tier> tiers();

        /** Lower runs first under the priority strategy. */
        @WithDefault("100")
        @Min(0)
        int priority();

        @WithDefault("false")
        boolean paid();

        /** Runs inside the cluster; only local providers may serve local-only (privacy) requests. */
        @WithDefault("false")
        boolean local();

        Optional<Duration> timeout();

        /** Model to ask for per tier (keys simple, medium, complex); unset passes the caller's model through. */
        Map<Tier, String> models();

        /** Model to ask for in embeddings requests passed to this provider; unset passes the caller's model through. */
        Optional<String> embeddingModel();

        /**
         * Largest recording (file size) the provider takes, e.g. 26214400 for Groq's and OpenAI's 25 MB; a larger one
         * is not sent there, and explanations say why. Unset: no limit of its own.
         */
        Optional<@Min(1) Long> maxAudioBytes();

        /** Longest recording, in seconds, the provider takes; a longer one is not sent there. Unset: no limit of its own. */
        Optional<@Min(1) Long> maxAudioSeconds();

        Cost cost();

        /** Probed on an interval, e.g. a pod's /q/health/ready or Ollama's /api/tags. */
        Optional<String> healthUrl();

        Optional<@Min(1) Integer> maxConcurrency();

        /** Accounts of this provider; a provider without any is served anonymously (local engines). */
        Map<String, AccountConfig> accounts();

        /** Failure policy and daily reset of this provider's account quotas. */
        QuotaPolicyConfig quota();
    }

    interface Cost {
        @WithDefault("0")
        @PositiveOrZero
        double inputPerMillion();

        @WithDefault("0")
        @PositiveOrZero
        double outputPerMillion();

        @WithDefault("0")
        @PositiveOrZero
        double audioPerMinute();
    }

    interface AccountConfig {
        /** Name of the environment variable (from a Secret) holding this account's API key. */
        Optional<String> apiKeyEnv();

        QuotaLimitsConfig limits();
    }
}
