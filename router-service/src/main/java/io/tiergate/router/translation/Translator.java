package io.tiergate.router.translation;

import io.tiergate.quota.UsageAmount;
import io.tiergate.router.dispatch.UpstreamRequest;
import io.tiergate.router.providers.Backend;
import io.tiergate.router.config.Protocol;
import io.tiergate.router.routing.Candidate;
import io.vertx.core.buffer.Buffer;
import java.util.Optional;

/**
 * Speaks one routed capability's caller-side format to providers of some protocols: builds each attempt's request from
 * the caller's and turns the provider's answer back into the caller's format. Building a request is pure: it never
 * changes {@code request}, so every retry and fallback attempt starts from what the caller sent.
 *
 * @param <R> the capability's parsed request
 */
public interface Translator<R> {

    /** The routed capability this translates, by its {@code name}. */
    String capability();

    /** Whether providers of this protocol are served by this translator. */
    boolean speaks(Protocol protocol);

    /** The provider's request for one attempt on {@code backend}. */
    UpstreamRequest request(R request, Candidate candidate, Backend backend);

    /** What a successful answer read whole says it used, when it says. */
    Optional<UsageAmount> reportedUsage(Buffer upstreamBody);

    /** A provider's successful answer in the caller's format. */
    default Buffer toCaller(Buffer upstreamBody) {
        return upstreamBody;
    }

    /** A reader for one streamed answer; only capabilities that stream answers override this. */
    default StreamReader streamReader() {
        throw new UnsupportedOperationException(capability() + " answers are never streamed");
    }
}
