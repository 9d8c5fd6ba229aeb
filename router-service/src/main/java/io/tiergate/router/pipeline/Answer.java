package io.tiergate.router.pipeline;

import io.tiergate.router.dispatch.Dispatched;
import io.tiergate.router.dispatch.UpstreamReply;
import io.tiergate.router.translation.CallerAnswer;
import io.tiergate.router.translation.Translator;
import java.util.function.Function;

/** What a routed request ends with: a provider's answer to relay, or an answer the router composed from several calls. */
public sealed interface Answer {

    /** The call whose backend is named in the routing headers. */
    Dispatched last();

    /** Every attempt made, for {@code X-Tiergate-Attempts}. */
    int attempts();

    /**
     * One provider's answer (whole or streamed), turned into the caller's format by its translator: a whole successful
     * answer by {@code callerAnswer}, which knows the request it answers.
     */
    record Relayed(Dispatched last, Translator<?> translator, Function<UpstreamReply, CallerAnswer> callerAnswer) implements Answer {
        @Override
        public int attempts() {
            return last.attempts().size();
        }
    }

    /** A JSON answer built by the router, such as a classification made of batched chat calls. */
    record Composed(Object body, Dispatched last, int attempts) implements Answer {}
}
