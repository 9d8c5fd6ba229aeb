package io.tiergate.router.pipeline;

import java.util.OptionalLong;

/**
 * A request whose answer length the caller may cap, and the router may cap lower so the call fits the tokens an
 * account has left.
 *
 * @param <R> the request type itself
 */
public interface CappableOutput<R> {

    /** The caller's own cap on each answer, if any. */
    OptionalLong maxTokens();

    /** How many answers the request asks for, each of which may use the whole cap. */
    int choices();

    /** The same request with each answer capped at {@code tokens}. */
    R withOutputCap(long tokens);
}
