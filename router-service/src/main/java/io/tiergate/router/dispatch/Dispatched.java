package io.tiergate.router.dispatch;

import io.tiergate.common.problem.Problem;
import io.tiergate.router.routing.Candidate;
import java.util.List;

/** The candidate that answered, its answer, and every attempt it took to get there. */
public record Dispatched(Candidate candidate, UpstreamReply reply, List<Problem.Attempt> attempts) {}
