package io.tiergate.router.capability.tasks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiergate.router.capability.chat.ChatCapability;
import io.tiergate.router.pipeline.RoutedCapability;
import io.tiergate.router.pipeline.UsageEstimate;
import io.tiergate.router.config.Capability;
import io.tiergate.router.config.Protocol;
import io.tiergate.router.routing.Candidate;
import io.tiergate.router.scoring.FeatureContribution;
import io.tiergate.router.scoring.TaskFeatures;
import io.tiergate.router.translation.TranslatorRegistry;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * What classifications and extractions share: pods take them as sent, every protocol that speaks chat takes them as
 * chat calls, they are scored by their size and shape, and providers must list the {@code classification} capability.
 *
 * @param <C> the parsed call
 */
abstract class TaskCapability<C> implements RoutedCapability<C> {

    protected final ObjectMapper mapper;
    protected final TasksOnChatProviders onChat;
    private final TaskFeatures features;
    private final TranslatorRegistry translators;
    private final Function<C, ObjectNode> json;

    TaskCapability(ObjectMapper mapper, TaskFeatures features, TranslatorRegistry translators, TasksOnChatProviders onChat,
            Function<C, ObjectNode> json) {
        this.mapper = mapper;
        this.features = features;
        this.translators = translators;
        this.onChat = onChat;
        this.json = json;
    }

    @Override
    public Capability requires() {
        return Capability.CLASSIFICATION;
    }

    @Override
    public UsageEstimate estimate(C call) {
        long tokens = TaskFeatures.TextStats.texts(json.apply(call)).stream().mapToLong(UsageEstimate::tokensOf).sum();
        return UsageEstimate.fixed(tokens, 0, 0);
    }

    @Override
    public List<FeatureContribution> features(C call) {
        return features.of(json.apply(call));
    }

    /** Tasks name no model: pods use their own, chat providers the model of the tier. */
    @Override
    public Optional<String> requestedModel(C call) {
        return Optional.empty();
    }

    @Override
    public Set<Protocol> protocols(TranslatorRegistry registry) {
        Set<Protocol> protocols = EnumSet.noneOf(Protocol.class);
        protocols.addAll(registry.protocolsFor(name()));
        protocols.addAll(registry.protocolsFor(ChatCapability.NAME));
        return protocols;
    }

    /** Whether {@code candidate} takes the task as sent (a pod), rather than as chat calls. */
    protected boolean takesItDirectly(Candidate candidate) {
        return translators.find(name(), candidate.provider().protocol()).isPresent();
    }
}
