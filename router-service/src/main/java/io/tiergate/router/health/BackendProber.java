package io.tiergate.router.health;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.tiergate.router.config.RouterConfig;
import io.tiergate.router.dispatch.UpstreamClient;
import io.tiergate.router.providers.Provider;
import io.tiergate.router.providers.ProviderRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Calls each provider's health URL (a pod's readiness, Ollama's /api/tags) on an interval, so a
 * backend known to be down is skipped before any request has to fail on it.
 */
@ApplicationScoped
public class BackendProber {

    private final ProviderRegistry registry;
    private final UpstreamClient client;
    private final Duration timeout;

    public BackendProber(ProviderRegistry registry, UpstreamClient client, RouterConfig config) {
        this.registry = registry;
        this.client = client;
        this.timeout = config.health().probeTimeout();
    }

    @Scheduled(every = "${tiergate.router.health.probe-interval:30s}", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public Uni<Void> probeAll() {
        List<Uni<Void>> probes = new ArrayList<>();
        for (Provider provider : registry.all()) {
            provider.config().healthUrl().ifPresent(url -> probes.add(probe(provider, url)));
        }
        return probes.isEmpty() ? Uni.createFrom().voidItem() : Uni.join().all(probes).andCollectFailures().replaceWithVoid();
    }

    Uni<Void> probe(Provider provider, String url) {
        return client.probe(url, timeout)
                .map(status -> status < 400
                        ? new Provider.ProbeResult(Provider.ProbeResult.Status.UP, System.currentTimeMillis(), "HTTP " + status)
                        : new Provider.ProbeResult(Provider.ProbeResult.Status.DOWN, System.currentTimeMillis(), "HTTP " + status))
                .onFailure().recoverWithItem(failure -> new Provider.ProbeResult(Provider.ProbeResult.Status.DOWN,
                        System.currentTimeMillis(), String.valueOf(failure.getMessage())))
                .invoke(provider::recordProbe)
                .replaceWithVoid();
    }
}
