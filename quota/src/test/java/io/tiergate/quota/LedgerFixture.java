package io.tiergate.quota;

import static org.awaitility.Awaitility.await;

import io.tiergate.quota.testing.MutableClock;
import io.tiergate.quota.testing.RedisServer;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.redis.client.RedisOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Ledger instances as separate replicas would have them: each with its own Vert.x and Redis connections, all on
 * one redis-server and one test clock.
 */
final class LedgerFixture implements AutoCloseable {

    static final Duration TTL = Duration.ofSeconds(2);
    static final String KEY_PREFIX = "test:quota";
    /**
     * Beyond any test: a ledger never learns how many replicas are alive nor what headroom is left, so what it serves
     * while Redis is down is a whole limit, never a share of headroom read at some moment during the test.
     */
    static final Duration QUIET_HEARTBEAT = Duration.ofMinutes(5);

    final MutableClock clock = new MutableClock();
    private final RedisServer server;
    private final List<Vertx> vertxes = new ArrayList<>();
    private final List<QuotaLedger> ledgers = new ArrayList<>();

    LedgerFixture(RedisServer server) {
        this.server = server;
    }

    QuotaLedger ledger() {
        return ledger(QuotaSettings.AllotmentSettings.NONE);
    }

    /** A ledger that hands out calls from blocks held on Redis. */
    QuotaLedger ledger(QuotaSettings.AllotmentSettings allotment) {
        return ledger(new QuotaSettings(TTL, Duration.ofMillis(500), Duration.ofMillis(100), QUIET_HEARTBEAT, KEY_PREFIX, 1000,
                allotment));
    }

    QuotaLedger ledger(QuotaSettings settings) {
        QuotaLedger ledger = new QuotaLedger(redis(), clock, settings);
        ledgers.add(ledger);
        return ledger;
    }

    /** A Redis client of its own, on its own Vert.x. */
    Redis redis() {
        Vertx vertx = Vertx.vertx();
        vertxes.add(vertx);
        return Redis.createClient(vertx, new RedisOptions()
                .setConnectionString(server.uri())
                .setMaxPoolSize(8)
                .setMaxPoolWaiting(4096));
    }

    /** Waits until every ledger made here listens for cooldowns, so none misses one published from now on. */
    void awaitCooldownFeeds() {
        Redis redis = redis();
        String channel = QuotaKeys.cooldownChannel(KEY_PREFIX);
        await().atMost(Duration.ofSeconds(10)).until(() -> redis.send(Request.cmd(Command.PUBSUB).arg("NUMSUB").arg(channel))
                .await().atMost(Duration.ofSeconds(10)).get(1).toInteger() == ledgers.size());
    }

    @Override
    public void close() {
        ledgers.forEach(QuotaLedger::close);
        vertxes.forEach(Vertx::closeAndAwait);
    }

    /** limits: unit, window, limit, unit, window, limit, ... */
    static AccountQuota account(String provider, String account, FailurePolicy policy, DailyReset reset, Object... limits) {
        Map<QuotaUnit, Map<QuotaWindow, Long>> byUnit = new EnumMap<>(QuotaUnit.class);
        for (int i = 0; i < limits.length; i += 3) {
            byUnit.computeIfAbsent((QuotaUnit) limits[i], u -> new EnumMap<>(QuotaWindow.class))
                    .put((QuotaWindow) limits[i + 1], ((Number) limits[i + 2]).longValue());
        }
        return new AccountQuota(provider, account, byUnit, reset, policy);
    }

    static AccountQuota account(String provider, String account, Object... limits) {
        return account(provider, account, FailurePolicy.CLOSED, DailyReset.UTC_MIDNIGHT, limits);
    }
}
