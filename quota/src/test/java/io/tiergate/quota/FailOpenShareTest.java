package io.tiergate.quota;

import static io.tiergate.quota.LedgerFixture.account;
import static io.tiergate.quota.QuotaUnit.AUDIO_SECONDS;
import static io.tiergate.quota.QuotaUnit.REQUESTS;
import static io.tiergate.quota.QuotaUnit.TOKENS;
import static io.tiergate.quota.QuotaWindow.DAY;
import static io.tiergate.quota.QuotaWindow.HOUR;
import static io.tiergate.quota.QuotaWindow.MINUTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tiergate.quota.QuotaSettings.AllotmentSettings;
import io.tiergate.quota.ReservationResult.Exhausted;
import io.tiergate.quota.ReservationResult.Granted;
import io.tiergate.quota.testing.RedisServerExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Replicas serving a fail-open provider while Redis is down: together they stay within the limit. */
class FailOpenShareTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration HEARTBEAT = Duration.ofMillis(50);

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
    void whileRedisIsDownEachReplicaServesItsShareOfTheHeadroomItLastSawAndReconcilesAfter() throws InterruptedException {
        QuotaSettings settings = new QuotaSettings(LedgerFixture.TTL, Duration.ofMillis(500), Duration.ofMillis(100), HEARTBEAT,
                LedgerFixture.KEY_PREFIX, 1000, AllotmentSettings.NONE);
        List<QuotaLedger> replicas = List.of(fixture.ledger(settings), fixture.ledger(settings));
        QuotaLedger stopped = fixture.ledger(settings);
        await().atMost(WAIT).until(() -> REDIS.server().command("ZCARD " + LedgerFixture.KEY_PREFIX + ":replicas").equals(":3"));
        stopped.close();
        AccountQuota free = account("groq", "org-a", FailurePolicy.OPEN, DailyReset.UTC_MIDNIGHT,
                REQUESTS, MINUTE, 20, TOKENS, DAY, 10_000);
        for (QuotaLedger replica : replicas) {
            assertThat(serveUntilRefused(replica, free, 2)).isEqualTo(2);
        }
        // Many heartbeats: both replicas have read the account's counts, and the stopped one no longer counts.
        Thread.sleep(HEARTBEAT.multipliedBy(20).toMillis());

        REDIS.server().stop();
        for (QuotaLedger replica : replicas) {
            assertThat(serveUntilRefused(replica, free, 100)).as("half of the 16 requests left this minute").isEqualTo(8);
            assertThat(replica.redisReachable()).isFalse();
        }
        fixture.clock.advance(Duration.ofMinutes(1));
        for (QuotaLedger replica : replicas) {
            assertThat(serveUntilRefused(replica, free, 100)).as("half of a minute not seen in Redis").isEqualTo(10);
        }

        REDIS.server().restart(); // empty, as after a crash without persistence
        await().atMost(WAIT).until(() -> replicas.stream().allMatch(QuotaLedger::redisReachable));
        await().atMost(WAIT).untilAsserted(() -> {
            UsageReport.AccountUsage usage = replicas.get(0).report(List.of(free)).await().atMost(WAIT).accounts().get(0);
            assertThat(usage.window(REQUESTS, MINUTE).used()).as("what both served this minute").isEqualTo(2 * 10);
            assertThat(usage.window(TOKENS, DAY).used()).as("what both served while Redis was down").isEqualTo(2 * (8 + 10) * 100);
        });
    }

    @Test
    void whatThisReplicaServedInAnEarlierOutageAndRedisCountsSinceIsNotTakenFromItsShareAgain() {
        MemoryQuotaStore memory = new MemoryQuotaStore(Duration.ofMinutes(5));
        AccountQuota free = account("groq", "org-a", FailurePolicy.OPEN, DailyReset.UTC_MIDNIGHT, REQUESTS, DAY, 100);
        Instant now = fixture.clock.instant();
        memory.replicasAlive(2);
        assertThat(serveUntilRefused(memory, free, now)).as("half the limit of a day Redis was not seen in").isEqualTo(50);
        memory.unflushed().forEach(memory::flushed);

        // Redis counts those 50 and 30 more served by the other replica: 20 left, 10 of them for this one.
        long[][][] confirmed = memory.confirmed(List.of(free), now);
        long[] counts = new long[18];
        counts[4] = 80; // requests used in the day window, in quota.lua's COUNTERS order
        memory.learn(List.of(free), List.of(Refusals.usage(free, 0, counts, Windows.at(now, free.reset()), now)), confirmed, now);

        assertThat(serveUntilRefused(memory, free, now)).isEqualTo(10);
    }

    @Test
    void whileRedisIsDownAnHourWindowIsCountedInMemoryAndFreesAtTheNextClockHour() {
        MemoryQuotaStore memory = new MemoryQuotaStore(Duration.ofMinutes(5));
        AccountQuota free = account("groq", "org-a", FailurePolicy.OPEN, DailyReset.UTC_MIDNIGHT, AUDIO_SECONDS, HOUR, 30);
        Instant now = Instant.parse("2025-03-10T12:30:00Z");
        for (int i = 0; i < 2; i++) {
            Granted call = (Granted) memory.reserve("groq", List.of(free), UsageAmount.audioSeconds(11), now, now.plusSeconds(60), "a" + i);
            memory.commit(free, ReservationId.parse(call.reservation().id()).nonce(), ActualUsage.of(UsageAmount.audioSeconds(11)), now);
        }

        Exhausted full = (Exhausted) memory.reserve("groq", List.of(free), UsageAmount.audioSeconds(11), now, now.plusSeconds(60), "a2");
        assertThat(full.retryAt()).isEqualTo(Instant.parse("2025-03-10T13:00:00Z"));
        Instant nextHour = Instant.parse("2025-03-10T13:00:00Z");
        assertThat(memory.reserve("groq", List.of(free), UsageAmount.audioSeconds(11), nextHour, nextHour.plusSeconds(60), "a3"))
                .isInstanceOf(Granted.class);
    }

    private static int serveUntilRefused(MemoryQuotaStore memory, AccountQuota account, Instant now) {
        int served = 0;
        while (memory.reserve(account.provider(), List.of(account), UsageAmount.NONE, now, now.plusSeconds(60), "m" + served)
                instanceof Granted grant) {
            memory.commit(account, ReservationId.parse(grant.reservation().id()).nonce(), ActualUsage.of(UsageAmount.NONE), now);
            served++;
        }
        return served;
    }

    /** Reserves and commits calls of 100 tokens until refused or {@code most} were served; returns how many were. */
    private static int serveUntilRefused(QuotaLedger replica, AccountQuota account, int most) {
        int served = 0;
        while (served < most) {
            ReservationResult result = replica.reserve(account.provider(), List.of(account), UsageAmount.tokens(100)).await().atMost(WAIT);
            if (!(result instanceof Granted grant)) {
                assertThat(result).isInstanceOf(Exhausted.class);
                break;
            }
            replica.commit(grant.reservation(), UsageAmount.tokens(100)).await().atMost(WAIT);
            served++;
        }
        return served;
    }
}
