package io.tiergate.quota;

import io.smallrye.config.WithName;
import java.util.OptionalLong;

/**
 * An account's {@code limits} in the shared YAML, as a nested group of any {@code @ConfigMapping}:
 * <pre>
 * limits:
 *   requests: { per-minute: 20, per-day: 2000 }
 *   tokens:   { per-minute: 6000, per-day: 500000 }
 *   audio-seconds: { per-hour: 7200, per-day: 28800 }
 * </pre>
 * Every entry is optional; an absent one does not limit. Minutes and hours are clock ones (UTC); a day ends at the
 * provider's reset time.
 */
public interface QuotaLimitsConfig {

    Window requests();

    Window tokens();

    @WithName("audio-seconds")
    Window audioSeconds();

    interface Window {
        OptionalLong perMinute();

        OptionalLong perHour();

        OptionalLong perDay();
    }
}
