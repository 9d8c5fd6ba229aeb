package io.tiergate.quota;

import io.smallrye.config.WithDefault;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Optional;

/**
 * A provider's {@code quota} in the shared YAML, as a nested group of any {@code @ConfigMapping}:
 * <pre>
 * quota:
 *   failure-policy: open                 # open | closed; default closed when paid, open when free
 *   reset: { time: "00:00", zone: UTC }  # when the provider's day ends
 * </pre>
 */
public interface QuotaPolicyConfig {

    Optional<FailurePolicy> failurePolicy();

    Reset reset();

    interface Reset {
        @WithDefault("00:00")
        LocalTime time();

        @WithDefault("UTC")
        ZoneId zone();
    }
}
