package io.tiergate.usage.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;
import io.tiergate.quota.QuotaLimitsConfig;
import io.tiergate.quota.QuotaPolicyConfig;
import java.util.Map;

/**
 * The part of the shared {@code tiergate.providers.*} section the tracker reads: each provider's accounts, limits and
 * quota policy. The rest of each provider (protocol, URLs, tiers, ...) is the router's and not mapped here, which is
 * why this service does not refuse keys it does not map.
 */
@ConfigMapping(prefix = "tiergate.providers")
public interface SharedProviders {

    @WithParentName
    Map<String, Provider> all();

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
