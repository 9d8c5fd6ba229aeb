package io.tiergate.usage.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The tracker's own settings, {@code tiergate.usage.*}. */
@ConfigMapping(prefix = "tiergate.usage")
public interface TrackerConfig {

    /** How often the Prometheus gauges are refreshed from Redis. */
    @WithDefault("5s")
    Duration metricsRefresh();
}
