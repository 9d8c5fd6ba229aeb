package io.tiergate.classification.api;

import io.tiergate.classification.cascade.ClassificationCascade;
import io.tiergate.common.classification.ClassificationRequest;
import io.tiergate.common.classification.ClassificationResponse;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

@Path("/v1/classifications")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class ClassificationResource {

    private final ClassificationCascade cascade;

    public ClassificationResource(ClassificationCascade cascade) {
        this.cascade = cascade;
    }

    @POST
    public ClassificationResponse classify(ClassificationRequest request) {
        return cascade.classify(request);
    }
}
