package io.tiergate.router.dispatch;

import io.tiergate.quota.UsageAmount;
import io.tiergate.router.providers.Backend;
import io.tiergate.router.routing.Candidate;
import java.util.Optional;
import java.util.OptionalLong;

/** One kind of request as the dispatcher needs it: how to send it to a backend and what it costs in quota. */
public interface Exchange {

    /**
     * The request of one attempt on {@code backend}. {@code tokenBudget}, present when the backend's account limits
     * tokens, is what the attempt's reservation holds: the request must not be able to use more, so its output is
     * capped to fit.
     */
    Attempt attemptOn(Candidate candidate, Backend backend, OptionalLong tokenBudget);

    /** An attempt's request, and the output cap the router set on it when it lowered or added one. */
    record Attempt(UpstreamRequest request, OptionalLong outputCap) {}

    /** Quota to hold before a call: the estimated tokens (and audio seconds) of this request. */
    UsageAmount estimate();

    /** The least quota a call can do with, its output capped as far as it may be; the estimate when it cannot be. */
    default UsageAmount smallestEstimate() {
        return estimate();
    }

    /**
     * Why {@code reply}, a refusal, says the backend cannot do this kind of work at all (e.g. translate), when it
     * does: the walk moves on to the next candidate as after a failure, but the backend's breaker counts it neither way
     * and no quota is spent. When every candidate tried declined, the last refusal is the answer.
     */
    default Optional<String> declined(Candidate candidate, UpstreamReply reply) {
        return Optional.empty();
    }

    /** What a successful call answered whole actually used, read from the answer; the estimate where it does not say. */
    UsageAmount actualUsage(Candidate candidate, UpstreamReply reply);

    /** What a streamed answer used: the tokens the stream reported, else the estimate. */
    default UsageAmount streamedUsage(OptionalLong reportedTokens) {
        return reportedTokens.isPresent() ? UsageAmount.tokens(reportedTokens.getAsLong()) : estimate();
    }
}
