package io.tiergate.usage.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.tiergate.quota.QuotaLimitsConfig;
import io.tiergate.quota.QuotaPolicyConfig;
import java.time.Duration;
import java.util.Map;

/**
 * The part of the shared {@code tiergate.*} YAML the tracker reads: each provider's accounts, limits and quota
 * policy. Everything else in that file (protocols, URLs, tiers, ...) is the router's and ignored here.
 */
@ConfigMapping(prefix = "tiergate")
public interface TrackerConfig {

    Usage usage();

    Map<String, Provider> providers();

    interface Usage {
        /** How often the Prometheus gauges are refreshed from Redis. */
        @WithDefault("5s")
        Duration metricsRefresh();
    }

    interface Provider {
        /** Paid providers fail closed unless their quota says otherwise. */
        @WithDefault("false")
        boolean paid();

        QuotaPolicyConfig quota();

        Map<String, Account> accounts();
    }

    interface Account {
        QuotaLimitsConfig limits();
    }
}
