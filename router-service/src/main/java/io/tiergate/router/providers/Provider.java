package io.tiergate.router.providers;

import io.tiergate.router.config.Capability;
import io.tiergate.router.config.Protocol;
import io.tiergate.quota.AccountQuota;
import io.tiergate.router.config.ProvidersConfig.ProviderConfig;
import io.tiergate.router.config.Tier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** A configured provider with the state an operator can change at run time (enabled, priority). */
public final class Provider {

    private final String name;
    private final ProviderConfig config;
    private final Duration timeout;
    private final List<Backend> backends = new ArrayList<>();
    private volatile boolean enabled;
    private volatile int priority;
    private volatile ProbeResult lastProbe = ProbeResult.NOT_PROBED;

    Provider(String name, ProviderConfig config, Duration defaultTimeout) {
        this.name = name;
        this.config = config;
        this.timeout = config.timeout().orElse(defaultTimeout);
        this.enabled = config.enabled();
        this.priority = config.priority();
    }

    void addBackend(Backend backend) {
        backends.add(backend);
    }

    public String name() {
        return name;
    }

    public ProviderConfig config() {
        return config;
    }

    public Protocol protocol() {
        return config.protocol();
    }

    public List<Backend> backends() {
        return Collections.unmodifiableList(backends);
    }

    public Duration timeout() {
        return timeout;
    }

    public boolean enabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public int priority() {
        return priority;
    }

    public void setPriority(int priority) {
        this.priority = priority;
    }

    /** Whether calls need a quota reservation: some account of the provider has limits. */
    public boolean quotaLimited() {
        return backends.stream().anyMatch(backend -> backend.quota().filter(AccountQuota::hasLimits).isPresent());
    }

    public boolean serves(Capability capability) {
        return config.capabilities().contains(capability);
    }

    public boolean serves(Tier tier) {
        return config.tiers().contains(tier);
    }

    /** The model to request for a tier, or empty to pass the caller's model through. */
    public Optional<String> modelFor(Tier tier) {
        return Optional.ofNullable(config.models().get(tier));
    }

    /** Whether the caller may name {@code model} to be sent here: one of its tier models or its embedding model. */
    public boolean offersModel(String model) {
        return config.models().containsValue(model) || config.embeddingModel().filter(model::equals).isPresent();
    }

    public ProbeResult lastProbe() {
        return lastProbe;
    }

    public void recordProbe(ProbeResult result) {
        this.lastProbe = result;
    }

    /** Estimated cost in US dollars of a request of this size on this provider. */
    public double estimateCost(long inputTokens, long outputTokens, long audioSeconds) {
        return (inputTokens * config.cost().inputPerMillion() + outputTokens * config.cost().outputPerMillion()) / 1_000_000
                + audioSeconds * config.cost().audioPerMinute() / 60;
    }

    /** Latest answer of the provider's health URL. */
    public record ProbeResult(Status status, long atMillis, String detail) {
        public static final ProbeResult NOT_PROBED = new ProbeResult(Status.UNKNOWN, 0, null);

        public enum Status { UP, DOWN, UNKNOWN }
    }
}
