package io.tiergate.router.pipeline;

import io.smallrye.mutiny.Uni;
import io.tiergate.quota.UsageAmount;
import io.tiergate.router.dispatch.Dispatcher;
import io.tiergate.router.dispatch.Exchange;
import io.tiergate.router.dispatch.UpstreamReply;
import io.tiergate.router.providers.Backend;
import io.tiergate.router.routing.Candidate;
import io.tiergate.router.translation.Translator;
import io.tiergate.router.translation.TranslatorRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

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
            public Attempt attemptOn(Candidate candidate, Backend backend, OptionalLong tokenBudget) {
                Translator<R> translator = translatorFor(capability, candidate);
                if (tokenBudget.isPresent() && request instanceof CappableOutput<?> cappable) {
                    long perChoice = (tokenBudget.getAsLong() - estimate.inputTokens()) / cappable.choices();
                    if (cappable.maxTokens().isEmpty() || cappable.maxTokens().getAsLong() > perChoice) {
                        @SuppressWarnings("unchecked")
                        R capped = (R) cappable.withOutputCap(perChoice);
                        return new Attempt(translator.request(capped, candidate, backend), OptionalLong.of(perChoice));
                    }
                }
                return new Attempt(translator.request(request, candidate, backend), OptionalLong.empty());
            }

            @Override
            public UsageAmount estimate() {
                return reserved;
            }

            @Override
            public UsageAmount smallestEstimate() {
                return estimate.smallestReservation();
            }

            @Override
            public Optional<String> declined(Candidate candidate, UpstreamReply reply) {
                return TranslatedDispatch.this.<R>translatorFor(capability, candidate).declined(request, reply);
            }

            @Override
            public UsageAmount actualUsage(Candidate candidate, UpstreamReply reply) {
                if (reply.status() >= 300) {
                    return reserved;
                }
                return TranslatedDispatch.this.<R>translatorFor(capability, candidate).reportedUsage(reply.body()).orElse(reserved);
            }
        };
        return dispatcher.dispatch(candidates, exchange).map(dispatched -> {
            Translator<R> translator = translatorFor(capability, dispatched.candidate());
            return new Answer.Relayed(dispatched, translator, reply -> translator.answer(request, reply));
        });
    }

    private <R> Translator<R> translatorFor(String capability, Candidate candidate) {
        return translators.<R>find(capability, candidate.provider().protocol()).orElseThrow(() -> new IllegalStateException(
                "the planner offered " + candidate.provider().name() + ", whose protocol has no " + capability + " translator"));
    }
}
