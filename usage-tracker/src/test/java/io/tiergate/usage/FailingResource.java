package io.tiergate.usage;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** Test-only: an endpoint that fails unexpectedly, as no real one of the tracker can be made to. */
@Path("/test/failure")
public class FailingResource {

    @GET
    public Uni<String> fail() {
        return Uni.createFrom().failure(new IllegalStateException("Failing on purpose"));
    }
}
