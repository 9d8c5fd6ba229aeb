package io.tiergate.router.providers;

import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.tiergate.quota.QuotaStoreConfig;
import io.tiergate.quota.RedisChannelFeed;
import io.tiergate.router.config.RouterConfig;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The providers' run-time switches (enabled, priority) shared by every router replica through Redis, on the
 * application's Redis client (the one the quota ledger uses). A change is stored in a hash, one JSON field per provider
 * with a version (Redis time in ms, made to grow), and published on a channel of the same name; every replica applies
 * what it hears, reads the whole hash back when it starts, each time its subscription stands again and every
 * {@code overrides-reload-interval}, and applies of each provider only a version newer than the one it holds. A provider
 * whose override vanished from Redis (Redis lost its data) returns to its configured switches on every replica.
 *
 * <p>While Redis is unreachable a change applies to this replica only ({@link Scope#REPLICA}) and is kept; it is stored
 * (and so reaches every replica) as soon as Redis answers again, as the quota ledger replays its settlements. Stored
 * changes of other replicas to the same provider meanwhile are overwritten by it: the last change stored wins.
 */
@Startup
@ApplicationScoped
public class ProviderOverrides {

    /** Where a provider's switches hold: on every replica, or on this one only until Redis answers again. */
    public enum Scope { CLUSTER, REPLICA }

    private static final Logger LOG = Logger.getLogger(ProviderOverrides.class);

    /** Merges a change into the stored override, gives it a version greater than any before, and publishes it. */
    private static final String STORE = """
            local time = redis.call('TIME')
            local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
            local stored = redis.call('HGET', KEYS[1], ARGV[1])
            local override = {}
            if stored then override = cjson.decode(stored) end
            if ARGV[2] ~= '' then override.enabled = ARGV[2] == 'true' end
            if ARGV[3] ~= '' then override.priority = tonumber(ARGV[3]) end
            if override.version and override.version >= now then now = override.version + 1 end
            override.version = now
            local encoded = cjson.encode(override)
            redis.call('HSET', KEYS[1], ARGV[1], encoded)
            redis.call('PUBLISH', KEYS[1], ARGV[1] .. '\\n' .. encoded)
            return encoded
            """;

    /** Every override and the time it was read at, in one step, so a vanished one is told from one stored later. */
    private static final String SNAPSHOT = """
            local time = redis.call('TIME')
            return {tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000), redis.call('HGETALL', KEYS[1])}
            """;

    /** A change of switches; an absent one stays as it is. */
    private record Switches(Boolean enabled, Integer priority) {
        Switches then(Switches later) {
            return new Switches(later.enabled != null ? later.enabled : enabled, later.priority != null ? later.priority : priority);
        }
    }

    private final ProviderRegistry registry;
    private final Redis redis;
    private final String key;
    private final Duration redisTimeout;
    private final RedisChannelFeed feed;
    /** Version of the stored override each provider has applied. */
    private final Map<String, Long> applied = new ConcurrentHashMap<>();
    /** Changes made while Redis was unreachable, not stored yet; they win over what Redis holds until stored. */
    private final Map<String, Switches> unstored = new ConcurrentHashMap<>();
    private final Set<String> unknownLogged = ConcurrentHashMap.newKeySet();

    public ProviderOverrides(ProviderRegistry registry, Redis redis, RouterConfig config, QuotaStoreConfig quota) {
        this.registry = registry;
        this.redis = redis;
        this.key = config.admin().overridesKey();
        this.redisTimeout = quota.redisTimeout();
        this.feed = new RedisChannelFeed(redis, key, quota.retryInterval(), this::published, this::synchronize);
    }

    /** Reads the stored overrides before the first request is served, then listens for changes. */
    @PostConstruct
    public void start() {
        try {
            reload().await().atMost(redisTimeout.multipliedBy(2));
        } catch (RuntimeException unreachable) {
            LOG.warnf("Provider overrides not read from Redis at start (%s); serving the configured switches until it answers",
                    unreachable.toString());
        }
        feed.start();
    }

    @PreDestroy
    public void close() {
        feed.close();
    }

    /**
     * Stores a change and applies it here; the item comes once it is stored, or, while Redis is unreachable, once it
     * applies here only.
     */
    public Uni<Scope> change(Provider provider, Boolean enabled, Integer priority) {
        String name = provider.name();
        Switches change = new Switches(enabled, priority);
        Switches earlier = unstored.get(name);
        return store(name, earlier == null ? change : earlier.then(change), earlier)
                .map(ignored -> Scope.CLUSTER)
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("Redis did not store the change of provider %s (%s): it applies to this replica only until "
                            + "Redis answers again", name, failure.toString());
                    keepUnstored(provider, change);
                    return Scope.REPLICA;
                });
    }

    /** {@link Scope#REPLICA} while the provider has a change this replica could not store yet. */
    public Scope scopeOf(String provider) {
        return unstored.containsKey(provider) ? Scope.REPLICA : Scope.CLUSTER;
    }

    /** The safety net for a published change this replica missed; also stores changes kept while Redis was down. */
    @Scheduled(every = "${tiergate.router.admin.overrides-reload-interval:30s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> reloadPeriodically() {
        return storeUnstored().chain(this::reload).onFailure().recoverWithNull();
    }

    private void synchronize() {
        storeUnstored().chain(this::reload).subscribe().with(done -> { },
                failure -> LOG.debugf("Provider overrides not synchronized with Redis yet: %s", failure));
    }

    private Uni<Void> storeUnstored() {
        List<Map.Entry<String, Switches>> waiting = List.copyOf(unstored.entrySet());
        if (waiting.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return Multi.createFrom().iterable(waiting)
                .onItem().transformToUniAndConcatenate(entry -> store(entry.getKey(), entry.getValue(), entry.getValue())
                        .invoke(ignored -> LOG.infof("Change of provider %s made while Redis was unreachable now stored for "
                                + "every replica", entry.getKey())))
                .collect().last().replaceWithVoid();
    }

    /**
     * Stores {@code switches} merged into the provider's override and applies the result here.
     *
     * @param replaces the unstored change {@code switches} includes, no longer kept once stored; null if none
     */
    private Uni<Void> store(String name, Switches switches, Switches replaces) {
        Request store = Request.cmd(Command.EVAL).arg(STORE).arg(1).arg(key).arg(name)
                .arg(switches.enabled() == null ? "" : switches.enabled().toString())
                .arg(switches.priority() == null ? "" : switches.priority().toString());
        return redis.send(store).ifNoItem().after(redisTimeout).fail()
                .invoke(stored -> {
                    synchronized (this) {
                        if (replaces != null) {
                            unstored.remove(name, replaces);
                        }
                        apply(name, new JsonObject(stored.toString()));
                    }
                })
                .replaceWithVoid();
    }

    private synchronized void keepUnstored(Provider provider, Switches change) {
        Switches merged = unstored.merge(provider.name(), change, Switches::then);
        if (merged.enabled() != null) {
            provider.setEnabled(merged.enabled());
        }
        if (merged.priority() != null) {
            provider.setPriority(merged.priority());
        }
    }

    private Uni<Void> reload() {
        return redis.send(Request.cmd(Command.EVAL).arg(SNAPSHOT).arg(1).arg(key))
                .ifNoItem().after(redisTimeout).fail()
                .invoke(this::applySnapshot)
                .replaceWithVoid();
    }

    private synchronized void applySnapshot(Response snapshot) {
        long readAt = snapshot.get(0).toLong();
        Response fields = snapshot.get(1);
        Set<String> stored = new HashSet<>();
        for (int i = 0; i + 1 < fields.size(); i += 2) {
            String name = fields.get(i).toString();
            stored.add(name);
            applyStored(name, fields.get(i + 1).toString());
        }
        applied.forEach((name, version) -> {
            if (!stored.contains(name) && version < readAt && !unstored.containsKey(name)) {
                applied.remove(name);
                registry.find(name).ifPresent(provider -> {
                    LOG.infof("Override of provider %s is gone from Redis: back to its configured switches", name);
                    provider.setEnabled(provider.config().enabled());
                    provider.setPriority(provider.config().priority());
                });
            }
        });
    }

    /** A change any replica stored, as {@code provider\noverride}. */
    private synchronized void published(String message) {
        int newline = message.indexOf('\n');
        applyStored(message.substring(0, newline), message.substring(newline + 1));
    }

    private void applyStored(String name, String override) {
        try {
            apply(name, new JsonObject(override));
        } catch (RuntimeException malformed) {
            LOG.warnf("Ignoring the malformed stored override of provider %s: %s (%s)", name, override, malformed.toString());
        }
    }

    private void apply(String name, JsonObject override) {
        Optional<Provider> found = registry.find(name);
        if (found.isEmpty()) {
            if (unknownLogged.add(name)) {
                LOG.warnf("Ignoring the stored override of provider %s: no provider of that name is configured on this "
                        + "replica (stored by one on another configuration?)", name);
            }
            return;
        }
        long version = override.getLong("version", 0L);
        if (unstored.containsKey(name) || version <= applied.getOrDefault(name, Long.MIN_VALUE)) {
            return;
        }
        Provider provider = found.get();
        boolean enabled = override.getBoolean("enabled", provider.config().enabled());
        int priority = override.getInteger("priority", provider.config().priority());
        applied.put(name, version);
        provider.setEnabled(enabled);
        provider.setPriority(priority);
    }
}
