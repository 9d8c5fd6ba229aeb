package io.tiergate.usage.api;

import io.smallrye.mutiny.Uni;
import io.tiergate.common.problem.Problem;
import io.tiergate.quota.QuotaLedger;
import io.tiergate.quota.ReservationResult;
import io.tiergate.quota.ReservationResult.Exhausted;
import io.tiergate.quota.ReservationResult.Granted;
import io.tiergate.quota.ReservationResult.Unavailable;
import io.tiergate.quota.Settlement;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/** Reserve before a provider call, commit or release after it: for callers that do not embed tiergate-quota. */
@Path("/v1/reservations")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ReservationsResource {

    private final QuotaLedger ledger;
    private final Inputs inputs;
    private final Clock clock;

    ReservationsResource(QuotaLedger ledger, Inputs inputs, Clock clock) {
        this.ledger = ledger;
        this.inputs = inputs;
        this.clock = clock;
    }

    @POST
    public Uni<Response> reserve(ReserveRequest request) {
        Inputs.body(request);
        var eligible = inputs.eligible(request.provider(), request.accounts());
        var estimate = inputs.estimate(request.provider(), eligible, request.tokens(), request.audioSeconds());
        return ledger.reserve(request.provider(), eligible, estimate).map(this::response);
    }

    @POST
    @Path("/{id}/commit")
    public Uni<SettlementView> commit(@PathParam("id") String id, CommitRequest request) {
        var reservation = inputs.reservation(id);
        Inputs.body(request);
        // Actual usage may outgrow the estimate and even a minute limit, so only the per-call maximum applies.
        var actual = inputs.reported(request.tokens(), request.audioSeconds());
        return ledger.commit(reservation, actual).map(settlement -> view(id, settlement));
    }

    @DELETE
    @Path("/{id}")
    public Uni<SettlementView> release(@PathParam("id") String id) {
        return ledger.release(inputs.reservation(id)).map(settlement -> view(id, settlement));
    }

    private Response response(ReservationResult result) {
        if (result instanceof Granted granted) {
            return Response.created(URI.create("/v1/reservations/" + granted.reservation().id()))
                    .entity(new ReservationView(granted.reservation().id(), granted.provider(), granted.account(), granted.expiresAt()))
                    .build();
        }
        if (result instanceof Exhausted exhausted) {
            return Response.status(429)
                    .header("Retry-After", retryAfterSeconds(exhausted.retryAt()))
                    .type(Problem.MEDIA_TYPE)
                    .entity(QuotaExhaustedProblem.of(exhausted))
                    .build();
        }
        Unavailable unavailable = (Unavailable) result;
        return Response.status(503)
                .header("Retry-After", 1)
                .type(Problem.MEDIA_TYPE)
                .entity(Problem.of(503, "quota-store-unavailable", "Quota store unavailable", unavailable.reason()))
                .build();
    }

    private static SettlementView view(String id, Settlement settlement) {
        if (settlement == Settlement.UNKNOWN) {
            throw Inputs.unknownReservation(id);
        }
        return new SettlementView(id, settlement.name().toLowerCase(Locale.ROOT));
    }

    private long retryAfterSeconds(Instant retryAt) {
        long millis = Duration.between(clock.instant(), retryAt).toMillis();
        return Math.max(1, (millis + 999) / 1000);
    }
}
