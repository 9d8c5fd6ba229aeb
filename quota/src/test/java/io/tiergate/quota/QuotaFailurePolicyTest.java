package io.tiergate.quota;

import static io.tiergate.quota.LedgerFixture.account;
import static io.tiergate.quota.QuotaUnit.REQUESTS;
import static io.tiergate.quota.QuotaUnit.TOKENS;
import static io.tiergate.quota.QuotaWindow.DAY;
import static io.tiergate.quota.QuotaWindow.MINUTE;
import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.quota.ReservationResult.Exhausted;
import io.tiergate.quota.ReservationResult.Granted;
import io.tiergate.quota.ReservationResult.Unavailable;
import io.tiergate.quota.testing.RedisServerExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class QuotaFailurePolicyTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();

    private LedgerFixture fixture;
    private QuotaLedger ledger;

    @BeforeEach
    void ledger() {
        fixture = new LedgerFixture(REDIS.server());
        fixture.clock.freezeAt(Instant.parse("2025-03-10T12:00:05Z"));
        ledger = fixture.ledger();
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void closedProviderIsRefusedWhileRedisIsDownAndServedAgainWhenItReturns() {
        AccountQuota paid = account("openrouter", "main", FailurePolicy.CLOSED, DailyReset.UTC_MIDNIGHT, REQUESTS, DAY, 100);
        assertThat(reserve(paid)).isInstanceOf(Granted.class);

        REDIS.server().stop();
        assertThat(reserve(paid)).isInstanceOf(Unavailable.class);
        assertThat(ledger.redisReachable()).isFalse();
        assertThat(reserve(paid)).isInstanceOf(Unavailable.class);

        REDIS.server().restart();
        awaitReachable();
        assertThat(reserve(paid)).isInstanceOf(Granted.class);
    }

    @Test
    void openProviderCountsInMemoryWhileRedisIsDownAndReconcilesWhenItReturns() {
        AccountQuota free = account("groq", "org-a", FailurePolicy.OPEN, DailyReset.UTC_MIDNIGHT,
                REQUESTS, MINUTE, 3, TOKENS, DAY, 100_000);
        Granted beforeOutage = (Granted) reserve(free);

        REDIS.server().stop();
        assertThat(ledger.commit(beforeOutage.reservation(), UsageAmount.tokens(1000)).await().atMost(WAIT))
                .isEqualTo(Settlement.DEFERRED);
        Granted first = (Granted) reserve(free);
        Granted second = (Granted) reserve(free);
        Granted third = (Granted) reserve(free);
        assertThat(reserve(free)).as("memory enforces the limits too").isInstanceOf(Exhausted.class);
        assertThat(ledger.commit(first.reservation(), UsageAmount.tokens(200)).await().atMost(WAIT)).isEqualTo(Settlement.SETTLED);
        assertThat(ledger.commit(second.reservation(), UsageAmount.tokens(300)).await().atMost(WAIT)).isEqualTo(Settlement.SETTLED);
        assertThat(ledger.release(third.reservation()).await().atMost(WAIT)).isEqualTo(Settlement.SETTLED);
        UsageReport during = ledger.report(List.of(free)).await().atMost(WAIT);
        assertThat(during.source()).isEqualTo(UsageReport.Source.MEMORY);
        assertThat(during.accounts().get(0).window(TOKENS, DAY).used()).isEqualTo(500);

        REDIS.server().restart(); // empty, as after a crash without persistence
        awaitReachable();
        UsageReport after = ledger.report(List.of(free)).await().atMost(WAIT);
        assertThat(after.source()).isEqualTo(UsageReport.Source.REDIS);
        var tokens = after.accounts().get(0).window(TOKENS, DAY);
        assertThat(tokens.used()).as("memory counts plus the deferred commit").isEqualTo(1500);
        assertThat(tokens.reserved()).isZero();
        assertThat(after.accounts().get(0).window(REQUESTS, DAY).used()).isEqualTo(3);
    }

    @Test
    void whileRedisIsDownACommitCountsOnceAndAMadeUpIdCountsNothing() {
        AccountQuota free = account("groq", "org-a", FailurePolicy.OPEN, DailyReset.UTC_MIDNIGHT, TOKENS, DAY, 100_000);
        REDIS.server().stop();
        try {
            Granted granted = (Granted) reserve(free);
            Reservation madeUp = Reservation.named(new ReservationId("groq", "org-a", "m0123456789abcdef").encode(), free);

            Granted unreported = (Granted) reserve(free);
            assertThat(ledger.commit(granted.reservation(), UsageAmount.tokens(200)).await().atMost(WAIT)).isEqualTo(Settlement.SETTLED);
            assertThat(ledger.commit(granted.reservation(), UsageAmount.tokens(200)).await().atMost(WAIT)).isEqualTo(Settlement.EXPIRED);
            assertThat(ledger.commit(unreported.reservation(), new ActualUsage(OptionalLong.empty(), OptionalLong.empty()))
                    .await().atMost(WAIT)).as("counts the 100 tokens it held").isEqualTo(Settlement.SETTLED);
            assertThat(ledger.commit(madeUp, UsageAmount.tokens(5000)).await().atMost(WAIT)).isEqualTo(Settlement.UNKNOWN);
            assertThat(ledger.release(madeUp).await().atMost(WAIT)).isEqualTo(Settlement.UNKNOWN);

            UsageReport during = ledger.report(List.of(free)).await().atMost(WAIT);
            assertThat(during.source()).isEqualTo(UsageReport.Source.MEMORY);
            assertThat(during.accounts().get(0).window(TOKENS, DAY).used()).isEqualTo(200 + 100);
        } finally {
            REDIS.server().restart();
        }
    }

    private ReservationResult reserve(AccountQuota account) {
        return ledger.reserve(account.provider(), List.of(account), UsageAmount.tokens(100)).await().atMost(WAIT);
    }

    private void awaitReachable() {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (ledger.redisReachable()) {
                return;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("the ledger did not see Redis return within " + WAIT);
    }
}
