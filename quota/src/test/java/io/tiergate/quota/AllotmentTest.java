package io.tiergate.quota;

import static io.tiergate.quota.LedgerFixture.account;
import static io.tiergate.quota.QuotaUnit.REQUESTS;
import static io.tiergate.quota.QuotaUnit.TOKENS;
import static io.tiergate.quota.QuotaWindow.DAY;
import static io.tiergate.quota.QuotaWindow.MINUTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.smallrye.mutiny.Uni;
import io.tiergate.quota.QuotaSettings.AllotmentSettings;
import io.tiergate.quota.ReservationResult.Exhausted;
import io.tiergate.quota.ReservationResult.Granted;
import io.tiergate.quota.testing.RedisServerExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Blocks of calls held on Redis and handed out from memory, as router replicas on a hot path use them. */
class AllotmentTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration HOLD_FOR = Duration.ofMillis(300);

    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();

    private LedgerFixture fixture;
    private QuotaLedger first;
    private QuotaLedger second;

    @BeforeEach
    void ledgers() {
        fixture = new LedgerFixture(REDIS.server());
        fixture.clock.freezeAt(Instant.parse("2025-03-10T12:00:05Z"));
        AllotmentSettings blocks = new AllotmentSettings(16, 0.25, HOLD_FOR);
        first = fixture.ledger(blocks);
        second = fixture.ledger(blocks);
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void oneReservationHoldsABlockThatLaterCallsDrawFromWithoutRedis() {
        AccountQuota account = account("groq", "org-a", REQUESTS, DAY, 1000);

        Granted firstCall = grant(first.reserve("groq", List.of(account), UsageAmount.tokens(10)));
        assertThat(report(account).window(REQUESTS, DAY).reserved()).as("a block of 16 is held on Redis").isEqualTo(16);
        for (int i = 1; i < 16; i++) {
            commit(first, grant(first.reserve("groq", List.of(account), UsageAmount.tokens(10))), UsageAmount.tokens(7));
        }
        assertThat(report(account).window(REQUESTS, DAY).reserved()).as("the other 15 calls came from memory").isEqualTo(16);
        assertThat(report(account).window(REQUESTS, DAY).used()).as("nothing is committed while a call is in flight").isZero();

        commit(first, firstCall, UsageAmount.tokens(9));

        awaitSettled(account, 16, 15 * 7 + 9);
    }

    @Test
    void concurrentCallsThroughTwoLedgersNeverExceedTheLimitAndGetAllOfIt() {
        AccountQuota account = account("groq", "org-a", REQUESTS, MINUTE, 200, TOKENS, DAY, 1_000_000);
        AtomicInteger granted = new AtomicInteger();
        List<Uni<Void>> callers = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            QuotaLedger ledger = i % 2 == 0 ? first : second;
            callers.add(callUntilRefused(ledger, account, granted));
        }

        Uni.join().all(callers).andFailFast().await().atMost(WAIT);

        assertThat(granted.get()).as("never more than the limit").isLessThanOrEqualTo(200);
        // Calls refused while the other ledger still held part of a block get that part once the block is settled.
        await().atMost(WAIT).untilAsserted(() -> assertThat(report(account).window(REQUESTS, MINUTE).reserved()).isZero());
        while (first.reserve("groq", List.of(account), UsageAmount.tokens(100)).await().atMost(WAIT) instanceof Granted grant) {
            granted.incrementAndGet();
            commit(first, grant, UsageAmount.tokens(100));
        }
        assertThat(granted.get()).as("grants equal the limit exactly").isEqualTo(200);
        awaitSettled(account, 200, 200 * 100);
    }

    @Test
    void blocksShrinkToOneCallNearTheLimit() {
        AccountQuota account = account("groq", "org-a", REQUESTS, DAY, 20);

        grant(first.reserve("groq", List.of(account), UsageAmount.NONE));
        assertThat(report(account).window(REQUESTS, DAY).reserved()).as("a quarter of the 20 that fit").isEqualTo(5);
        grant(second.reserve("groq", List.of(account), UsageAmount.NONE));
        assertThat(report(account).window(REQUESTS, DAY).reserved()).as("then a quarter of the 15 left").isEqualTo(5 + 3);

        List<Granted> rest = new ArrayList<>();
        ReservationResult result;
        while ((result = second.reserve("groq", List.of(account), UsageAmount.NONE).await().atMost(WAIT)) instanceof Granted grant) {
            rest.add(grant);
        }
        assertThat(result).isInstanceOf(Exhausted.class);
        var requests = report(account).window(REQUESTS, DAY);
        assertThat(requests.reserved()).as("the first ledger's block is still held for it").isEqualTo(20);
        assertThat(rest).as("the second ledger got the rest of its block and everything after").hasSize(20 - 5 - 1);
    }

    @Test
    void aReleasedCallGoesBackToItsBlockAndAnUnusedBlockIsRefunded() {
        AccountQuota account = account("groq", "org-a", REQUESTS, DAY, 1000);

        Granted call = grant(first.reserve("groq", List.of(account), UsageAmount.tokens(50)));
        assertThat(first.release(call.reservation()).await().atMost(WAIT)).isEqualTo(Settlement.SETTLED);
        assertThat(first.release(call.reservation()).await().atMost(WAIT)).as("a second settlement is refused").isEqualTo(Settlement.EXPIRED);
        for (int i = 0; i < 16; i++) {
            first.release(grant(first.reserve("groq", List.of(account), UsageAmount.tokens(50))).reservation()).await().atMost(WAIT);
        }
        assertThat(report(account).window(REQUESTS, DAY).reserved()).as("handed-back calls are drawn again").isEqualTo(16);

        awaitSettled(account, 0, 0);
    }

    @Test
    void aCooldownClosesTheAccountsBlocksAndRefundsWhatTheyDidNotUse() {
        AccountQuota account = account("groq", "org-a", REQUESTS, DAY, 1000);
        Granted call = grant(first.reserve("groq", List.of(account), UsageAmount.NONE));

        first.cooldown(account, Optional.of(Duration.ofSeconds(30))).await().atMost(WAIT);
        first.release(call.reservation()).await().atMost(WAIT);

        awaitSettled(account, 0, 0);
        assertThat(second.reserve("groq", List.of(account), UsageAmount.NONE).await().atMost(WAIT)).isInstanceOf(Exhausted.class);
        assertThat(first.reserve("groq", List.of(account), UsageAmount.NONE).await().atMost(WAIT))
                .as("no call is drawn from a closed block").isInstanceOf(Exhausted.class);
    }

    @Test
    void aCooldownAnotherReplicaSetStopsThisReplicasBlockAtOnce() {
        QuotaLedger holder = fixture.ledger(new AllotmentSettings(16, 0.25, Duration.ofSeconds(30)));
        fixture.awaitCooldownFeeds();
        AccountQuota a = account("groq", "org-a", REQUESTS, DAY, 1000);
        AccountQuota b = account("groq", "org-b", REQUESTS, DAY, 1000);
        commit(holder, grant(holder.reserve("groq", List.of(a), UsageAmount.NONE)), UsageAmount.NONE);
        assertThat(reserveAndRelease(holder, List.of(a))).as("its block on org-a hands out calls for 30 s").isInstanceOf(Granted.class);

        first.cooldown(a, Optional.of(Duration.ofSeconds(30))).await().atMost(WAIT);

        // Only the delivery of the cooldown to the holder is awaited; a block that honoured it only at its end
        // would keep handing out org-a for 30 s.
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(10))
                .until(() -> reserveAndRelease(holder, List.of(a)) instanceof Exhausted);
        for (int i = 0; i < 5; i++) {
            assertThat(reserveAndRelease(holder, List.of(a))).isInstanceOf(Exhausted.class);
            assertThat(((Granted) reserveAndRelease(holder, List.of(a, b))).account()).isEqualTo("org-b");
        }
        awaitSettled(a, 1, 0);
    }

    @Test
    void noCallIsDrawnFromABlockWhoseAccountIsKnownToCoolDown() {
        List<Allotments.Allotment> settled = new ArrayList<>();
        Allotments allotments = new Allotments(settled::add);
        AccountQuota account = account("groq", "org-a", REQUESTS, DAY, 1000);
        Instant now = fixture.clock.instant();
        allotments.cooldown("groq", "org-a", now.plusSeconds(30));
        // A block Redis granted just before the cooldown, whose reply arrives after this process learnt of it.
        Granted hold = new Granted(Reservation.granted(new ReservationId("groq", "org-a", "r1").encode(), account), now.plusSeconds(60), UsageAmount.NONE);

        Granted firstCall = allotments.open(hold, 16, UsageAmount.NONE, now, now.plusSeconds(30));

        assertThat(allotments.draw("groq", List.of(account), UsageAmount.NONE, now, now)).isEmpty();
        assertThat(allotments.commit(firstCall.reservation().id(), ActualUsage.of(UsageAmount.NONE))).isTrue();
        assertThat(settled).singleElement().satisfies(block -> assertThat(block.callsUsed()).isEqualTo(1));
        assertThat(allotments.draw("groq", List.of(account), UsageAmount.NONE, now.plusSeconds(31), now.plusSeconds(31)))
                .as("the cooldown is over, but the block was closed for good").isEmpty();
    }

    @Test
    void noCallIsDrawnFromABlockWhoseHoldEndsBeforeTheCallMayBeDone() {
        Allotments allotments = new Allotments(block -> { });
        AccountQuota account = account("groq", "org-a", REQUESTS, DAY, 1000);
        Instant now = fixture.clock.instant();
        Granted hold = new Granted(Reservation.granted(new ReservationId("groq", "org-a", "r1").encode(), account), now.plusSeconds(60), UsageAmount.NONE);
        allotments.open(hold, 16, UsageAmount.NONE, now, now.plusSeconds(30));

        assertThat(allotments.draw("groq", List.of(account), UsageAmount.NONE, now, now.plusSeconds(61)))
                .as("Redis would refund the block while this call runs").isEmpty();
        assertThat(allotments.draw("groq", List.of(account), UsageAmount.NONE, now, now.plusSeconds(60))).isPresent();
    }

    @Test
    void aCallIsOnlyDrawnFromAnAccountTheCallerMayUse() {
        AccountQuota a = account("groq", "org-a", REQUESTS, DAY, 1000);
        AccountQuota b = account("groq", "org-b", REQUESTS, DAY, 1000);
        assertThat(grant(first.reserve("groq", List.of(a), UsageAmount.NONE)).account()).isEqualTo("org-a");

        assertThat(grant(first.reserve("groq", List.of(b), UsageAmount.NONE)).account()).isEqualTo("org-b");
        assertThat(report(b).window(REQUESTS, DAY).reserved()).isEqualTo(16);
    }

    private static ReservationResult reserveAndRelease(QuotaLedger ledger, List<AccountQuota> eligible) {
        ReservationResult result = ledger.reserve("groq", eligible, UsageAmount.NONE).await().atMost(WAIT);
        if (result instanceof Granted grant) {
            ledger.release(grant.reservation()).await().atMost(WAIT);
        }
        return result;
    }

    private Uni<Void> callUntilRefused(QuotaLedger ledger, AccountQuota account, AtomicInteger granted) {
        return ledger.reserve("groq", List.of(account), UsageAmount.tokens(100)).chain(result -> {
            if (result instanceof Granted grant) {
                granted.incrementAndGet();
                return ledger.commit(grant.reservation(), UsageAmount.tokens(100)).chain(() -> callUntilRefused(ledger, account, granted));
            }
            return Uni.createFrom().voidItem();
        });
    }

    private void awaitSettled(AccountQuota account, long requests, long tokens) {
        await().atMost(WAIT).untilAsserted(() -> {
            UsageReport.AccountUsage usage = report(account);
            assertThat(usage.window(REQUESTS, DAY).reserved()).isZero();
            assertThat(usage.window(REQUESTS, DAY).used()).isEqualTo(requests);
            assertThat(usage.window(TOKENS, DAY).used()).isEqualTo(tokens);
        });
    }

    private static void commit(QuotaLedger ledger, Granted grant, UsageAmount actual) {
        assertThat(ledger.commit(grant.reservation(), actual).await().atMost(WAIT)).isEqualTo(Settlement.SETTLED);
    }

    private static Granted grant(Uni<ReservationResult> reservation) {
        ReservationResult result = reservation.await().atMost(WAIT);
        assertThat(result).isInstanceOf(Granted.class);
        return (Granted) result;
    }

    private UsageReport.AccountUsage report(AccountQuota account) {
        return first.report(List.of(account)).await().atMost(WAIT).accounts().get(0);
    }
}
