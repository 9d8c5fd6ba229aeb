package io.tiergate.usage.api;

import io.smallrye.mutiny.Uni;
import io.tiergate.quota.QuotaLedger;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A provider answered 429 for an account: every replica skips it until Retry-After, or its minute window's reset,
 * and never past its day window's reset.
 */
@Path("/v1/cooldowns")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class CooldownsResource {

    private final QuotaLedger ledger;
    private final Inputs inputs;
    private final Clock clock;

    CooldownsResource(QuotaLedger ledger, Inputs inputs, Clock clock) {
        this.ledger = ledger;
        this.inputs = inputs;
        this.clock = clock;
    }

    /**
     * A longer cooldown already in force is kept, so a cooldown can only be lengthened; the ledger's cap keeps even
     * that within the day.
     */
    @POST
    public Uni<CooldownView> cooldown(CooldownRequest request) {
        Inputs.body(request);
        var account = inputs.account(request.provider(), request.account(), "account");
        Optional<Duration> requested = Optional.ofNullable(request.retryAfterSeconds())
                .map(seconds -> Duration.ofSeconds(Inputs.nonNegative(seconds, "retry_after_seconds")));
        Instant now = clock.instant();
        Duration untilDayReset = Duration.between(now, account.reset().dayEnd(now));
        // The ledger itself ends every cooldown at the day reset; this only tells the caller it did.
        boolean capped = requested.filter(retryAfter -> retryAfter.compareTo(untilDayReset) > 0).isPresent();
        return ledger.cooldown(account, requested)
                .map(until -> new CooldownView(account.provider(), account.account(), until, capped));
    }
}
