package io.tiergate.router.pipeline;

import io.smallrye.mutiny.Uni;
import io.tiergate.quota.UsageAmount;
import io.tiergate.router.dispatch.Dispatcher;
import io.tiergate.router.dispatch.Exchange;
import io.tiergate.router.dispatch.UpstreamReply;
import io.tiergate.router.dispatch.UpstreamRequest;
import io.tiergate.router.providers.Backend;
import io.tiergate.router.routing.Candidate;
import io.tiergate.router.translation.Translator;
import io.tiergate.router.translation.TranslatorRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Sends one capability's request over candidates, each attempt built by the translator of the candidate's protocol. */
@ApplicationScoped
public class TranslatedDispatch {

    private final Dispatcher dispatcher;
    private final TranslatorRegistry translators;

    public TranslatedDispatch(Dispatcher dispatcher, TranslatorRegistry translators) {
        this.dispatcher = dispatcher;
        this.translators = translators;
    }

    public <R> Uni<Answer.Relayed> dispatch(String capability, R request, UsageEstimate estimate, List<Candidate> candidates) {
        UsageAmount reserved = estimate.reservation();
        Exchange exchange = new Exchange() {
            @Override
            public UpstreamRequest requestFor(Candidate candidate, Backend backend) {
                return TranslatedDispatch.this.<R>translatorFor(capability, candidate).request(request, candidate, backend);
            }

            @Override
            public UsageAmount estimate() {
                return reserved;
            }

            @Override
            public UsageAmount actualUsage(Candidate candidate, UpstreamReply reply) {
                if (reply.status() >= 300) {
                    return reserved;
                }
                return TranslatedDispatch.this.<R>translatorFor(capability, candidate).reportedUsage(reply.body()).orElse(reserved);
            }
        };
        return dispatcher.dispatch(candidates, exchange)
                .map(dispatched -> new Answer.Relayed(dispatched, translatorFor(capability, dispatched.candidate())));
    }

    private <R> Translator<R> translatorFor(String capability, Candidate candidate) {
        return translators.<R>find(capability, candidate.provider().protocol()).orElseThrow(() -> new IllegalStateException(
                "the planner offered " + candidate.provider().name() + ", whose protocol has no " + capability + " translator"));
    }
}
