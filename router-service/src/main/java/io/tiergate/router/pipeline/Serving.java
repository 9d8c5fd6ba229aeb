package io.tiergate.router.pipeline;

import io.smallrye.mutiny.Uni;
import io.tiergate.router.routing.Candidate;
import java.util.List;
import java.util.function.Function;

/**
 * One request being served: what a {@link RoutedCapability} gets to answer it with.
 *
 * @param request the parsed request
 * @param estimate its expected usage, held as quota on every attempt
 * @param candidates the plan's candidates in dispatch order
 * @param direct dispatches the request over some candidates, one translated upstream call per attempt
 */
public record Serving<R>(R request, UsageEstimate estimate, List<Candidate> candidates,
        Function<List<Candidate>, Uni<Answer>> direct) {

    /** The request sent through this capability's translators over {@code run}, with retries, breakers and fallback. */
    public Uni<Answer> dispatch(List<Candidate> run) {
        return direct.apply(run);
    }
}
