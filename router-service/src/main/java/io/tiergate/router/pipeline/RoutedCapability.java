package io.tiergate.router.pipeline;

import io.smallrye.mutiny.Uni;
import io.tiergate.router.dispatch.RequestBody;
import io.tiergate.router.config.Capability;
import io.tiergate.router.config.Protocol;
import io.tiergate.router.scoring.FeatureContribution;
import io.tiergate.router.translation.TranslatorRegistry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The seam every routed endpoint plugs into: one implementation per kind of work (chat, classifications, extractions,
 * embeddings), plus one {@link io.tiergate.router.translation.Translator} per protocol that can serve it. The
 * {@link RoutedPipeline} does the rest alike for all of them: routing headers, scoring, planning, quota, dispatch,
 * explanations, cost comparison and the answer's headers and metrics.
 *
 * @param <R> the parsed, validated request
 */
public interface RoutedCapability<R> {

    /** Short name, as in explanations, metrics and the translator registry: {@code chat}, {@code classification}, … */
    String name();

    /** The endpoint, e.g. {@code /v1/chat/completions}; its explain and compare-cost views live under the same suffix. */
    String path();

    /** What a provider must list under {@code capabilities} to be a candidate. */
    Capability requires();

    /** How the body is taken in: whole in memory (JSON) or decoded into its form as it arrives (uploads). */
    default BodyIntake bodyIntake() {
        return BodyIntake.IN_MEMORY;
    }

    /**
     * Validates the body; bad input throws a {@link io.tiergate.common.problem.ProblemException} naming the field.
     */
    R parse(RequestBody body);

    /**
     * Whether {@link #parse} blocks (runs a program), so that it runs on a worker thread rather than on
     * the event loop.
     */
    default boolean parsesBlocking() {
        return false;
    }

    /** What the request is expected to use, for quota, costs and explanations. */
    UsageEstimate estimate(R request);

    /** The complexity features that pick the tier, each with its configured weight. */
    List<FeatureContribution> features(R request);

    /** The protocols whose providers can serve this capability: by default those with a translator for it. */
    default Set<Protocol> protocols(TranslatorRegistry translators) {
        return translators.protocolsFor(name());
    }

    /** The model the caller named to steer routing (a tier or a provider's model), if any. */
    Optional<String> requestedModel(R request);

    /**
     * Serves the request over the plan's candidates. One upstream call per attempt, through this capability's
     * translators, unless a capability composes its answer from other calls (classifications on chat providers).
     */
    default Uni<Answer> serve(Serving<R> serving) {
        return serving.dispatch(serving.candidates());
    }

    /** Where a request body is held while it is routed. */
    sealed interface BodyIntake {

        /** Read whole into memory, up to {@code tiergate.router.max-body-bytes}. */
        BodyIntake IN_MEMORY = new InMemory();

        record InMemory() implements BodyIntake {}

        /**
         * A {@code multipart/form-data} upload, up to {@code tiergate.router.spool.max-body-bytes}, decoded as it
         * arrives: its text fields held in memory, its uploads written to the spool directory, from where every attempt
         * sends them. The parse gets it as a {@link io.tiergate.router.dispatch.RequestBody.Form}, which is deleted
         * once the response has ended.
         *
         * @param uploads     the fields besides {@code file} that may be uploads rather than text
         * @param fieldLimits the text fields that may be longer than 64 KiB, with their own limits in bytes
         */
        record Form(Set<String> uploads, Map<String, Integer> fieldLimits) implements BodyIntake {}
    }
}
