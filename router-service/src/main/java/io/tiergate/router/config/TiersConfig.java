package io.tiergate.router.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;
import java.util.Map;

/** {@code tiergate.tiers.<tier>.*}: how each tier orders its candidates, in the shared section of the YAML. */
@ConfigMapping(prefix = "tiergate.tiers")
public interface TiersConfig {

    /** Each configured tier; a tier not listed orders by priority. */
    @WithParentName
    Map<Tier, TierConfig> all();

    interface TierConfig {
        @WithDefault("priority")
        Strategy strategy();
    }
}
