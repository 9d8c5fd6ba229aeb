package io.tiergate.usage.api;

import io.smallrye.mutiny.Uni;
import io.tiergate.quota.QuotaLedger;
import io.tiergate.usage.config.QuotaCatalog;
import io.tiergate.usage.metrics.QuotaGauges;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** Used, reserved and limit per provider, account, unit and window. */
@Path("/v1/usage")
@Produces(MediaType.APPLICATION_JSON)
public class UsageResource {

    private final QuotaLedger ledger;
    private final QuotaCatalog catalog;
    private final Inputs inputs;
    private final QuotaGauges gauges;

    UsageResource(QuotaLedger ledger, QuotaCatalog catalog, Inputs inputs, QuotaGauges gauges) {
        this.ledger = ledger;
        this.catalog = catalog;
        this.inputs = inputs;
        this.gauges = gauges;
    }

    /** @param provider only this provider (default: all quota-limited providers) */
    @GET
    public Uni<UsageView> usage(@QueryParam("provider") String provider) {
        var accounts = provider == null ? catalog.all() : inputs.provider(provider, "provider");
        return ledger.report(accounts).invoke(report -> {
            if (provider == null) {
                gauges.update(report);
            }
        }).map(UsageView::of);
    }
}
