package io.tiergate.usage.api;

import io.smallrye.mutiny.Uni;
import io.tiergate.quota.QuotaLedger;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.util.Optional;

/** A provider answered 429 for an account: every replica skips it until Retry-After, or its minute window's reset. */
@Path("/v1/cooldowns")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class CooldownsResource {

    private final QuotaLedger ledger;
    private final Inputs inputs;

    CooldownsResource(QuotaLedger ledger, Inputs inputs) {
        this.ledger = ledger;
        this.inputs = inputs;
    }

    @POST
    public Uni<CooldownView> cooldown(CooldownRequest request) {
        Inputs.body(request);
        var account = inputs.account(request.provider(), request.account(), "account");
        Optional<Duration> retryAfter = request.retryAfterSeconds() == null
                ? Optional.empty()
                : Optional.of(Duration.ofSeconds(Inputs.amount(request.retryAfterSeconds(), "retry_after_seconds")));
        return ledger.cooldown(account, retryAfter).map(until -> new CooldownView(account.provider(), account.account(), until));
    }
}
