package io.tiergate.router.translation;

import io.quarkus.arc.All;
import io.tiergate.router.config.Protocol;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Every translator, by (capability, protocol): the one place that says which protocols can serve which capability.
 * A pair claimed by two translators is a start-up error, so there is never a silent choice between them.
 */
@ApplicationScoped
public class TranslatorRegistry {

    private record Key(String capability, Protocol protocol) {}

    private final Map<Key, Translator<?>> translators = new HashMap<>();
    /** Asked on every request while it is planned, so worked out once. */
    private final Map<String, Set<Protocol>> protocols = new HashMap<>();

    public TranslatorRegistry(@All List<Translator<?>> all) {
        for (Translator<?> translator : all) {
            for (Protocol protocol : Protocol.values()) {
                if (!translator.speaks(protocol)) {
                    continue;
                }
                Translator<?> earlier = translators.put(new Key(translator.capability(), protocol), translator);
                if (earlier != null) {
                    throw new IllegalStateException("Both " + earlier.getClass().getSimpleName() + " and "
                            + translator.getClass().getSimpleName() + " translate " + translator.capability() + " for protocol "
                            + protocol.wireName());
                }
                protocols.computeIfAbsent(translator.capability(), capability -> EnumSet.noneOf(Protocol.class)).add(protocol);
            }
        }
    }

    /** The translator of {@code capability} for providers of {@code protocol}, if that protocol can serve it directly. */
    @SuppressWarnings("unchecked")
    public <R> Optional<Translator<R>> find(String capability, Protocol protocol) {
        return Optional.ofNullable((Translator<R>) translators.get(new Key(capability, protocol)));
    }

    /** The protocols with a translator for {@code capability}. */
    public Set<Protocol> protocolsFor(String capability) {
        return Collections.unmodifiableSet(protocols.getOrDefault(capability, EnumSet.noneOf(Protocol.class)));
    }
}
