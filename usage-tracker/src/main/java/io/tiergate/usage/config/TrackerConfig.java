package io.tiergate.usage.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.tiergate.quota.UsageAmount;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import java.util.Optional;

/** The tracker's own settings, {@code tiergate.usage.*}. */
@ConfigMapping(prefix = "tiergate.usage")
public interface TrackerConfig {

    /** How often the Prometheus gauges are refreshed from Redis. */
    @WithDefault("5s")
    Duration metricsRefresh();

    /**
     * Bearer token every call that changes quota (reserve, commit, release, cooldown) must carry as
     * {@code Authorization: Bearer <token>}; in Kubernetes it comes from a Secret through the environment variable
     * {@code TIERGATE_USAGE_SERVICE_TOKEN}. Without one those calls are refused with 401; reads still work.
     */
    Optional<String> serviceToken();

    /**
     * Most tokens one call may reserve or commit; more is refused with 400. Ten million is several times the largest
     * context window any provider offers, and far below what would overflow a counter.
     */
    @WithDefault("10000000")
    @Positive
    @Max(UsageAmount.MAX)
    long maxTokensPerCall();

    /** Most audio seconds one call may reserve or commit (default: a day of audio); more is refused with 400. */
    @WithDefault("86400")
    @Positive
    @Max(UsageAmount.MAX)
    long maxAudioSecondsPerCall();
}
