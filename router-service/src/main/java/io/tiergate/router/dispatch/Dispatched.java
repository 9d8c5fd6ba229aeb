package io.tiergate.router.dispatch;

import io.tiergate.common.problem.Problem;
import io.tiergate.router.providers.Backend;
import io.tiergate.router.routing.Candidate;
import java.util.List;

/**
 * The candidate and account that answered, the answer, and every attempt it took to get there; for a streamed answer,
 * how to settle its quota once the stream is over.
 */
public record Dispatched(Candidate candidate, Backend backend, UpstreamReply reply, List<Problem.Attempt> attempts,
        StreamSettlement streamSettlement) {}
