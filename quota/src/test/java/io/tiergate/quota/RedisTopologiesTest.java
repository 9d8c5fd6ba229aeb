package io.tiergate.quota;

import static io.tiergate.quota.LedgerFixture.account;
import static io.tiergate.quota.QuotaUnit.REQUESTS;
import static io.tiergate.quota.QuotaUnit.TOKENS;
import static io.tiergate.quota.QuotaWindow.DAY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tiergate.quota.ReservationResult.Exhausted;
import io.tiergate.quota.ReservationResult.Granted;
import io.tiergate.quota.testing.RedisServer;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisRole;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The ledger on the production topologies the Redis client accepts ({@code quarkus.redis.client-type}): through a
 * Sentinel, and on a three-node cluster, where each provider's keys share one hash slot and different providers'
 * keys live on different nodes.
 */
class RedisTopologiesTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int SLOTS = 16384;

    private final List<RedisServer> servers = new ArrayList<>();
    private final List<QuotaLedger> ledgers = new ArrayList<>();
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void stop() {
        ledgers.forEach(QuotaLedger::close);
        vertx.closeAndAwait();
        servers.forEach(RedisServer::stop);
    }

    @Test
    void theLedgerWorksThroughASentinel() {
        RedisServer master = started(RedisServer.start());
        RedisServer sentinel = started(RedisServer.startSentinel(master, "tiergate"));

        exerciseLedger(Redis.createClient(vertx, new RedisOptions()
                .setType(RedisClientType.SENTINEL)
                .setConnectionString(sentinel.uri())
                .setMasterName("tiergate")
                .setRole(RedisRole.MASTER)));
    }

    @Test
    void theLedgerWorksOnACluster() {
        List<RedisServer> nodes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            nodes.add(started(RedisServer.start("--cluster-enabled", "yes")));
        }
        for (int i = 0; i < nodes.size(); i++) {
            int first = i * SLOTS / nodes.size();
            int last = (i + 1) * SLOTS / nodes.size() - 1;
            assertThat(nodes.get(i).command("CLUSTER ADDSLOTSRANGE " + first + " " + last)).isEqualTo("+OK");
        }
        for (RedisServer node : nodes.subList(1, nodes.size())) {
            assertThat(nodes.get(0).command("CLUSTER MEET 127.0.0.1 " + node.port())).isEqualTo("+OK");
        }
        for (RedisServer node : nodes) {
            Redis direct = Redis.createClient(vertx, node.uri());
            await().atMost(WAIT).until(() -> direct.send(Request.cmd(Command.CLUSTER).arg("INFO")).await().atMost(WAIT)
                    .toString().contains("cluster_state:ok"));
        }

        RedisOptions options = new RedisOptions().setType(RedisClientType.CLUSTER);
        nodes.forEach(node -> options.addConnectionString(node.uri()));
        exerciseLedger(Redis.createClient(vertx, options));
    }

    private void exerciseLedger(Redis client) {
        Clock clock = Clock.fixed(Instant.parse("2025-03-10T12:00:05Z"), ZoneOffset.UTC);
        QuotaLedger ledger = ledger(client, clock, QuotaSettings.AllotmentSettings.NONE);
        QuotaLedger withBlocks = ledger(client, clock, new QuotaSettings.AllotmentSettings(16, 0.5, Duration.ofSeconds(30)));
        AccountQuota a = account("groq", "org-a", REQUESTS, DAY, 2);
        AccountQuota b = account("groq", "org-b", REQUESTS, DAY, 1);
        AccountQuota other = account("openrouter", "or-1", TOKENS, DAY, 1000);

        List<Granted> grants = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            grants.add((Granted) ledger.reserve("groq", List.of(a, b), UsageAmount.tokens(10)).await().atMost(WAIT));
        }
        assertThat(grants).extracting(Granted::account).containsExactlyInAnyOrder("org-a", "org-a", "org-b");
        assertThat(ledger.reserve("groq", List.of(a, b), UsageAmount.tokens(10)).await().atMost(WAIT)).isInstanceOf(Exhausted.class);
        assertThat(ledger.commit(grants.get(0).reservation(), UsageAmount.tokens(40)).await().atMost(WAIT)).isEqualTo(Settlement.SETTLED);
        assertThat(ledger.reserve("openrouter", List.of(other), UsageAmount.tokens(300)).await().atMost(WAIT)).isInstanceOf(Granted.class);

        UsageReport report = ledger.report(List.of(a, b, other)).await().atMost(WAIT);
        assertThat(report.source()).isEqualTo(UsageReport.Source.REDIS);
        long requestsUsed = report.accounts().stream().mapToLong(usage -> usage.window(REQUESTS, DAY).used()).sum();
        long requestsHeld = report.accounts().stream().mapToLong(usage -> usage.window(REQUESTS, DAY).reserved()).sum();
        assertThat(requestsUsed).isEqualTo(1);
        assertThat(requestsHeld).isEqualTo(2 + 1);
        assertThat(report.accounts().get(2).window(TOKENS, DAY).reserved()).isEqualTo(300);

        // A cooldown set through one ledger reaches the other's block over Pub/Sub well before the block's 30 s end.
        // The cooldown is set again each round, as the other ledger may not listen yet when the first is published.
        AccountQuota hot = account("groq", "org-c", REQUESTS, DAY, 1000);
        assertThat(reserveAndRelease(withBlocks, hot)).isInstanceOf(Granted.class);
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> {
            ledger.cooldown(hot, Optional.of(Duration.ofSeconds(30))).await().atMost(WAIT);
            return reserveAndRelease(withBlocks, hot) instanceof Exhausted;
        });
    }

    private QuotaLedger ledger(Redis client, Clock clock, QuotaSettings.AllotmentSettings allotment) {
        QuotaLedger ledger = new QuotaLedger(client, clock, new QuotaSettings(Duration.ofMinutes(1), Duration.ofSeconds(2),
                Duration.ofMillis(200), Duration.ofMillis(200), "test:quota", 100, allotment));
        ledgers.add(ledger);
        return ledger;
    }

    private static ReservationResult reserveAndRelease(QuotaLedger ledger, AccountQuota account) {
        ReservationResult result = ledger.reserve(account.provider(), List.of(account), UsageAmount.NONE).await().atMost(WAIT);
        if (result instanceof Granted grant) {
            ledger.release(grant.reservation()).await().atMost(WAIT);
        }
        return result;
    }

    private RedisServer started(RedisServer server) {
        servers.add(server);
        return server;
    }
}
