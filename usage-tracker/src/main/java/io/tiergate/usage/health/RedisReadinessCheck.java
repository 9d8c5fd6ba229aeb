package io.tiergate.usage.health;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.tiergate.quota.AccountQuota;
import io.tiergate.quota.FailurePolicy;
import io.tiergate.quota.QuotaLedger;
import io.tiergate.usage.config.QuotaCatalog;
import jakarta.inject.Singleton;
import java.util.List;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Shows whether Redis answers. Without Redis the tracker stays ready while some provider fails open (it serves
 * those from memory); with only fail-closed providers there is nothing it could serve.
 */
@Readiness
@Singleton
public class RedisReadinessCheck implements AsyncHealthCheck {

    private final QuotaLedger ledger;
    private final List<String> openProviders;
    private final List<String> closedProviders;

    RedisReadinessCheck(QuotaLedger ledger, QuotaCatalog catalog) {
        this.ledger = ledger;
        this.openProviders = providers(catalog, FailurePolicy.OPEN);
        this.closedProviders = providers(catalog, FailurePolicy.CLOSED);
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return ledger.checkRedis().map(reachable -> {
            var response = HealthCheckResponse.named("quota-redis").withData("redis", reachable ? "UP" : "DOWN");
            if (reachable) {
                return response.up().build();
            }
            return response
                    .withData("served-from-memory", String.join(",", openProviders))
                    .withData("refused", String.join(",", closedProviders))
                    .status(!openProviders.isEmpty())
                    .build();
        });
    }

    private static List<String> providers(QuotaCatalog catalog, FailurePolicy policy) {
        return catalog.providers().stream()
                .filter(p -> catalog.accounts(p).orElseThrow().stream().map(AccountQuota::policy).anyMatch(policy::equals))
                .toList();
    }
}
