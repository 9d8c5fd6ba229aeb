package io.tiergate.router.dispatch;

import io.tiergate.quota.UsageAmount;
import io.tiergate.router.providers.Backend;
import io.tiergate.router.routing.Candidate;
import java.util.OptionalLong;

/** One kind of request as the dispatcher needs it: how to send it to a backend and what it costs in quota. */
public interface Exchange {

    UpstreamRequest requestFor(Candidate candidate, Backend backend);

    /** Quota to hold before a call: the estimated tokens (and audio seconds) of this request. */
    UsageAmount estimate();

    /** What a successful call answered whole actually used, read from the answer; the estimate where it does not say. */
    UsageAmount actualUsage(Candidate candidate, UpstreamReply reply);

    /** What a streamed answer used: the tokens the stream reported, else the estimate. */
    default UsageAmount streamedUsage(OptionalLong reportedTokens) {
        return reportedTokens.isPresent() ? UsageAmount.tokens(reportedTokens.getAsLong()) : estimate();
    }
}
