package io.tiergate.quota;

import static io.tiergate.quota.LedgerFixture.account;
import static io.tiergate.quota.QuotaUnit.REQUESTS;
import static io.tiergate.quota.QuotaUnit.TOKENS;
import static io.tiergate.quota.QuotaWindow.DAY;
import static io.tiergate.quota.QuotaWindow.HOUR;
import static io.tiergate.quota.QuotaWindow.MINUTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tiergate.quota.QuotaSettings.AllotmentSettings;
import io.tiergate.quota.ReservationResult.Granted;
import io.tiergate.quota.ReservationResult.Unavailable;
import io.tiergate.quota.testing.RedisServerExtension;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Commands Redis runs after the ledger gave up waiting for them, or receives twice: a frozen Redis (SIGSTOP, then
 * SIGCONT) runs every command queued meanwhile, while the ledgers have already fallen back and kept settlements
 * to replay. Every such command must change the counts at most once, and a reservation given up on must hold
 * nothing.
 */
class RedisReplayTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();

    private LedgerFixture fixture;

    @BeforeEach
    void fixture() {
        fixture = new LedgerFixture(REDIS.server());
        fixture.clock.freezeAt(Instant.parse("2025-03-10T12:00:05Z"));
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void commandsAFrozenRedisRunsAfterTheLedgersGaveUpHoldNothingAndCountOnce() {
        // Holds never expire here (the clock stands still), so a phantom hold would stay visible.
        QuotaSettings settings = new QuotaSettings(Duration.ofMinutes(1), Duration.ofMillis(500), Duration.ofMillis(100),
                LedgerFixture.QUIET_HEARTBEAT, LedgerFixture.KEY_PREFIX, 1000, AllotmentSettings.NONE);
        List<QuotaLedger> replicas = List.of(fixture.ledger(settings), fixture.ledger(settings));
        AccountQuota account = account("openrouter", "main", REQUESTS, DAY, 1000, TOKENS, DAY, 1_000_000);
        // Connections made and the script loaded, so that only the frozen Redis keeps a ledger waiting.
        replicas.forEach(replica -> await().atMost(WAIT).until(
                () -> replica.report(List.of(account)).await().atMost(WAIT).source() == UsageReport.Source.REDIS));
        List<Granted> held = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            held.add((Granted) replicas.get(i % 2).reserve("openrouter", List.of(account), UsageAmount.tokens(100)).await().atMost(WAIT));
        }

        REDIS.server().pause();
        List<CompletableFuture<Settlement>> commits = new ArrayList<>();
        List<CompletableFuture<ReservationResult>> reserves = new ArrayList<>();
        try {
            // All sent before either ledger notices: the frozen Redis has them queued and runs them when it thaws.
            for (int i = 0; i < 4; i++) {
                commits.add(replicas.get(i % 2).commit(held.get(i).reservation(), UsageAmount.tokens(10L * (i + 1)))
                        .subscribeAsCompletionStage());
            }
            for (int i = 0; i < 6; i++) {
                reserves.add(replicas.get(i % 2).reserve("openrouter", List.of(account), UsageAmount.tokens(100))
                        .subscribeAsCompletionStage());
            }
            assertThat(commits).allSatisfy(commit -> assertThat(commit.join()).isEqualTo(Settlement.DEFERRED));
            assertThat(reserves).allSatisfy(reserve -> assertThat(reserve.join()).isInstanceOf(Unavailable.class));
        } finally {
            REDIS.server().resume();
        }

        await().atMost(WAIT).until(() -> replicas.stream().allMatch(QuotaLedger::redisReachable));
        // Held for a while: commands still queued somewhere must not change the counts later either.
        await().atMost(WAIT).during(Duration.ofMillis(500)).untilAsserted(() -> {
            UsageReport.AccountUsage usage = replicas.get(0).report(List.of(account)).await().atMost(WAIT).accounts().get(0);
            assertThat(usage.window(REQUESTS, DAY).reserved()).as("only the four reservations never settled").isEqualTo(4);
            assertThat(usage.window(REQUESTS, DAY).used()).as("each commit once").isEqualTo(4);
            assertThat(usage.window(TOKENS, DAY).used()).isEqualTo(10 + 20 + 30 + 40);
            assertThat(usage.window(TOKENS, DAY).reserved()).isEqualTo(4 * 100);
        });
    }

    @Test
    void aVoidedReservationHoldsNothingWhetherItRanBeforeOrArrivesAfter() {
        RedisQuotaStore store = store();
        AccountQuota a = account("groq", "org-a", REQUESTS, DAY, 10);
        AccountQuota b = account("groq", "org-b", REQUESTS, DAY, 10);
        Instant now = fixture.clock.instant();

        assertThat(reserve(store, List.of(a, b), "r-ran-before").result()).isInstanceOf(Granted.class);
        store.voidReservation("groq", List.of(a, b), "r-ran-before").await().atMost(WAIT);
        store.voidReservation("groq", List.of(a, b), "r-arrives-after").await().atMost(WAIT);
        assertThat(reserve(store, List.of(a, b), "r-arrives-after").result()).isNotInstanceOf(Granted.class);

        assertThat(store.report(List.of(a, b), now).await().atMost(WAIT))
                .allSatisfy(usage -> assertThat(usage.window(REQUESTS, DAY).reserved()).isZero());
        assertThat(reserve(store, List.of(a, b), "r-other").result()).as("other reservations go on").isInstanceOf(Granted.class);
    }

    @Test
    void aSettlementOrBatchOfMemoryCountsThatArrivesTwiceCountsOnce() {
        RedisQuotaStore store = store();
        AccountQuota account = account("groq", "org-a", REQUESTS, DAY, 10, TOKENS, DAY, 1000);
        Instant now = fixture.clock.instant();
        Windows windows = Windows.at(now, account.reset());
        ReservationId committed = id(reserve(store, List.of(account), "r-committed"));
        ReservationId released = id(reserve(store, List.of(account), "r-released"));

        assertThat(store.commit(committed, 1, 40, 0, windows, false).await().atMost(WAIT)).isEqualTo(Settlement.SETTLED);
        assertThat(store.commit(committed, 1, 40, 0, windows, true).await().atMost(WAIT)).isEqualTo(Settlement.EXPIRED);
        assertThat(store.release(released).await().atMost(WAIT)).isEqualTo(Settlement.SETTLED);
        assertThat(store.commit(released, 1, 70, 0, windows, true).await().atMost(WAIT)).as("settled by its release")
                .isEqualTo(Settlement.EXPIRED);
        for (int i = 0; i < 2; i++) {
            store.record("groq", "org-a", DAY, windows.dayStart(), "b-batch", new long[] {2, 30, 0}).await().atMost(WAIT);
        }

        UsageReport.AccountUsage usage = store.report(List.of(account), now).await().atMost(WAIT).get(0);
        assertThat(usage.window(REQUESTS, DAY).used()).isEqualTo(1 + 2);
        assertThat(usage.window(TOKENS, DAY).used()).isEqualTo(40 + 30);
        assertThat(usage.window(REQUESTS, DAY).reserved()).isZero();
    }

    /** Redis restarted empty: only a ledger replaying its own commit vouches for a reservation Redis no longer knows. */
    @Test
    void aReservationRedisLostCountsOnlyWhenItsLedgerVouchesForIt() {
        RedisQuotaStore store = store();
        AccountQuota account = account("groq", "org-a", TOKENS, DAY, 1000);
        Windows windows = Windows.at(fixture.clock.instant(), account.reset());

        assertThat(store.commit(new ReservationId("groq", "org-a", "r-from-outside"), 1, 300, 0, windows, false).await().atMost(WAIT))
                .isEqualTo(Settlement.UNKNOWN);
        assertThat(store.commit(new ReservationId("groq", "org-a", "r-replayed"), 1, 25, 0, windows, true).await().atMost(WAIT))
                .isEqualTo(Settlement.EXPIRED);

        UsageReport.AccountUsage usage = store.report(List.of(account), fixture.clock.instant()).await().atMost(WAIT).get(0);
        assertThat(usage.window(TOKENS, DAY).used()).isEqualTo(25);
    }

    /** A reservation held by a ledger of the version before hour windows, settled by this one. */
    @Test
    void aHoldMadeBeforeHourWindowsExistedIsSettledOnItsMinuteAndDayWindows() {
        RedisQuotaStore store = store();
        AccountQuota account = account("groq", "org-a", REQUESTS, DAY, 10, TOKENS, MINUTE, 1000);
        Instant now = fixture.clock.instant();
        Windows windows = Windows.at(now, account.reset());
        QuotaKeys keys = QuotaKeys.of(LedgerFixture.KEY_PREFIX, "groq", "org-a");
        Redis redis = fixture.redis();
        send(redis, Request.cmd(Command.HSET).arg(keys.usage()).arg("m.start").arg(windows.minuteStart()).arg("d.start")
                .arg(windows.dayStart()).arg("m.req.res").arg(1).arg("d.req.res").arg(1).arg("m.tok.res").arg(100)
                .arg("d.tok.res").arg(100));
        send(redis, Request.cmd(Command.HSET).arg(keys.held()).arg("r-old")
                .arg(windows.minuteStart() + " " + windows.dayStart() + " 100 0 1"));
        send(redis, Request.cmd(Command.ZADD).arg(keys.pending()).arg(now.plusSeconds(60).toEpochMilli()).arg("r-old"));

        assertThat(store.commit(new ReservationId("groq", "org-a", "r-old"), 1, 60, 0, windows, false).await().atMost(WAIT))
                .isEqualTo(Settlement.SETTLED);

        UsageReport.AccountUsage usage = store.report(List.of(account), now).await().atMost(WAIT).get(0);
        assertThat(usage.window(REQUESTS, DAY).used()).isEqualTo(1);
        assertThat(usage.window(REQUESTS, DAY).reserved()).isZero();
        assertThat(usage.window(TOKENS, MINUTE).used()).isEqualTo(60);
        assertThat(usage.window(TOKENS, MINUTE).reserved()).isZero();
        assertThat(usage.window(TOKENS, HOUR).used()).isEqualTo(60);
        assertThat(usage.window(TOKENS, HOUR).reserved()).isZero();
    }

    private static void send(Redis redis, Request request) {
        redis.send(request).await().atMost(WAIT);
    }

    private RedisQuotaStore store() {
        return new RedisQuotaStore(new QuotaScript(fixture.redis(), WAIT), LedgerFixture.KEY_PREFIX, Duration.ofMinutes(1));
    }

    private RedisQuotaStore.Held reserve(RedisQuotaStore store, List<AccountQuota> eligible, String nonce) {
        Instant now = fixture.clock.instant();
        return store.reserve(eligible.get(0).provider(), eligible, UsageAmount.NONE, 0, now, now.plus(LedgerFixture.TTL), nonce,
                AllotmentSettings.NONE).await().atMost(WAIT);
    }

    private static ReservationId id(RedisQuotaStore.Held held) {
        assertThat(held.result()).isInstanceOf(Granted.class);
        return ReservationId.parse(((Granted) held.result()).reservation().id());
    }
}
