package io.tiergate.router.translation;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.tiergate.quota.UsageAmount;
import io.tiergate.router.dispatch.UpstreamReply;
import io.tiergate.router.dispatch.UpstreamRequest;
import io.tiergate.router.providers.Backend;
import io.tiergate.router.config.Protocol;
import io.tiergate.router.providers.Provider;
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

    /**
     * Why {@code provider} cannot serve this request in particular, when it cannot: checked while the request is
     * planned, so the provider is shown as excluded with the reason rather than tried and failed.
     */
    default Optional<String> cannotServe(R request, Provider provider) {
        return Optional.empty();
    }

    /** The provider's request for one attempt on {@code backend}. */
    UpstreamRequest request(R request, Candidate candidate, Backend backend);

    /**
     * Why a provider's refusal (a 4xx) says that it cannot do this kind of work at all, rather than that the caller's
     * request is wrong: such a refusal sends the request on to the next candidate instead of back to the caller.
     */
    default Optional<String> declined(R request, UpstreamReply reply) {
        return Optional.empty();
    }

    /** What a successful answer read whole says it used, when it says. */
    Optional<UsageAmount> reportedUsage(Buffer upstreamBody);

    /** A provider's successful answer in the caller's format. */
    default Buffer toCaller(Buffer upstreamBody) {
        return upstreamBody;
    }

    /**
     * A provider's successful answer read whole, as the caller gets it: {@link #toCaller} with the provider's media type,
     * unless the answer's format depends on the request.
     */
    default CallerAnswer answer(R request, UpstreamReply reply) {
        String type = reply.headers().get(HttpHeaderNames.CONTENT_TYPE);
        return new CallerAnswer(type != null ? type : "application/json", toCaller(reply.body()));
    }

    /** A reader for one streamed answer; only capabilities that stream answers override this. */
    default StreamReader streamReader() {
        throw new UnsupportedOperationException(capability() + " answers are never streamed");
    }
}
