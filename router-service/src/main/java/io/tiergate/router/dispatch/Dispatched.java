package io.tiergate.router.dispatch;

import io.tiergate.common.problem.Problem;
import io.tiergate.router.providers.Backend;
import io.tiergate.router.routing.Candidate;
import java.util.List;
import java.util.OptionalLong;

/**
 * The candidate and account that answered, the answer, and every attempt it took to get there; for a streamed answer,
 * how to settle its quota once the stream is over; and the output cap the router set on the answering attempt so it
 * fit its account's tokens, when it did.
 */
public record Dispatched(Candidate candidate, Backend backend, UpstreamReply reply, List<Problem.Attempt> attempts,
        StreamSettlement streamSettlement, OptionalLong outputCap) {}
