package io.tiergate.quota;

import static io.tiergate.quota.LedgerFixture.account;
import static io.tiergate.quota.QuotaUnit.AUDIO_SECONDS;
import static io.tiergate.quota.QuotaUnit.REQUESTS;
import static io.tiergate.quota.QuotaUnit.TOKENS;
import static io.tiergate.quota.QuotaWindow.DAY;
import static io.tiergate.quota.QuotaWindow.HOUR;
import static io.tiergate.quota.QuotaWindow.MINUTE;
import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.mutiny.Uni;
import io.tiergate.quota.ReservationResult.Exhausted;
import io.tiergate.quota.ReservationResult.ExhaustedWindow;
import io.tiergate.quota.ReservationResult.Granted;
import io.tiergate.quota.testing.RedisServerExtension;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class QuotaLedgerTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    static final RedisServerExtension REDIS = new RedisServerExtension();

    private LedgerFixture fixture;
    private QuotaLedger first;
    private QuotaLedger second;

    @BeforeEach
    void ledgers() {
        fixture = new LedgerFixture(REDIS.server());
        fixture.clock.freezeAt(Instant.parse("2025-03-10T12:00:05Z"));
        first = fixture.ledger();
        second = fixture.ledger();
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void concurrentReservationsThroughTwoLedgersGrantExactlyTheLimit() {
        AccountQuota account = account("groq", "org-a", REQUESTS, MINUTE, 50);

        List<ReservationResult> results = reserveConcurrently(200, i -> UsageAmount.NONE, List.of(account));

        assertThat(granted(results)).hasSize(50);
        assertThat(results).filteredOn(r -> r instanceof Exhausted).hasSize(150);
        var usage = report(account).window(REQUESTS, MINUTE);
        assertThat(usage.reserved()).isEqualTo(50);
    }

    @Test
    void concurrentTokenReservationsWithMixedEstimatesNeverExceedTheLimit() {
        long limit = 10_000;
        AccountQuota account = account("groq", "org-a", TOKENS, DAY, limit);
        Random random = new Random(42);
        long[] estimates = random.longs(128, 50, 400).toArray();

        List<ReservationResult> results = reserveConcurrently(estimates.length, i -> UsageAmount.tokens(estimates[i]), List.of(account));

        long grantedTokens = 0;
        long smallestRefused = Long.MAX_VALUE;
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i) instanceof Granted) {
                grantedTokens += estimates[i];
            } else {
                smallestRefused = Math.min(smallestRefused, estimates[i]);
            }
        }
        assertThat(grantedTokens).isLessThanOrEqualTo(limit);
        assertThat(smallestRefused).as("a refused estimate that would have fit").isGreaterThan(limit - grantedTokens);
        assertThat(report(account).window(TOKENS, DAY).reserved()).isEqualTo(grantedTokens);
    }

    @Test
    void minuteAndDayWindowsHoldAtOnce() {
        AccountQuota account = account("groq", "org-a", REQUESTS, MINUTE, 40, REQUESTS, DAY, 100);

        // Committed, since reservations outliving their TTL would be refunded when the clock moves on.
        assertThat(commitAll(granted(reserveConcurrently(64, i -> UsageAmount.NONE, List.of(account))))).isEqualTo(40);
        fixture.clock.advance(Duration.ofMinutes(1));
        assertThat(commitAll(granted(reserveConcurrently(64, i -> UsageAmount.NONE, List.of(account))))).isEqualTo(40);
        fixture.clock.advance(Duration.ofMinutes(1));
        List<ReservationResult> third = reserveConcurrently(64, i -> UsageAmount.NONE, List.of(account));

        assertThat(granted(third)).hasSize(20);
        Exhausted exhausted = (Exhausted) third.stream().filter(r -> r instanceof Exhausted).findFirst().orElseThrow();
        assertThat(exhausted.windows()).extracting(ExhaustedWindow::window).contains(DAY);
        // The last 20 are still in flight: should they fail, they free their room, so a second is worth the wait.
        assertThat(exhausted.retryAt()).isEqualTo(fixture.clock.instant().plusSeconds(1));
        var day = report(account).window(REQUESTS, DAY);
        assertThat(day.used() + day.reserved()).isEqualTo(100);
        commitAll(granted(third));
        Exhausted used = (Exhausted) first.reserve("groq", List.of(account), UsageAmount.NONE).await().atMost(WAIT);
        assertThat(used.retryAt()).isEqualTo(Instant.parse("2025-03-11T00:00:00Z"));
    }

    @Test
    void equalAccountsEndWithinOneRequestOfEachOther() {
        AccountQuota a = account("groq", "org-a", REQUESTS, DAY, 100);
        AccountQuota b = account("groq", "org-b", REQUESTS, DAY, 100);

        Map<String, Long> perAccount = countByAccount(reserveConcurrently(65, i -> UsageAmount.NONE, List.of(a, b)));

        assertThat(perAccount.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(65);
        assertThat(Math.abs(perAccount.get("org-a") - perAccount.get("org-b"))).isLessThanOrEqualTo(1);
    }

    @Test
    void unequalAccountsAreUsedInProportionToTheirLimits() {
        AccountQuota small = account("groq", "org-a", TOKENS, DAY, 10_000);
        AccountQuota large = account("groq", "org-b", TOKENS, DAY, 30_000);

        Map<String, Long> perAccount = countByAccount(
                reserveConcurrently(80, i -> UsageAmount.tokens(100), List.of(small, large)));

        assertThat(perAccount.get("org-a")).isBetween(19L, 21L);
        assertThat(perAccount.get("org-b")).isBetween(59L, 61L);
    }

    @Test
    void commitReplacesTheHoldWithActualUsageAndReleaseRefunds() {
        AccountQuota account = account("groq", "org-a", TOKENS, MINUTE, 6000, AUDIO_SECONDS, DAY, 600);
        Granted committed = grant(first.reserve("groq", List.of(account), new UsageAmount(500, 30)));
        Granted released = grant(second.reserve("groq", List.of(account), new UsageAmount(700, 0)));

        var held = report(account);
        assertThat(held.window(TOKENS, MINUTE).reserved()).isEqualTo(1200);
        assertThat(held.window(REQUESTS, DAY).reserved()).isEqualTo(2);
        assertThat(held.window(AUDIO_SECONDS, DAY).reserved()).isEqualTo(30);

        assertThat(second.commit(committed.reservation(), new UsageAmount(320, 27)).await().atMost(WAIT)).isEqualTo(Settlement.SETTLED);
        assertThat(first.release(released.reservation()).await().atMost(WAIT)).isEqualTo(Settlement.SETTLED);

        var settled = report(account);
        assertThat(settled.window(TOKENS, MINUTE).used()).isEqualTo(320);
        assertThat(settled.window(TOKENS, MINUTE).reserved()).isZero();
        assertThat(settled.window(REQUESTS, DAY).used()).isEqualTo(1);
        assertThat(settled.window(REQUESTS, DAY).reserved()).isZero();
        assertThat(settled.window(AUDIO_SECONDS, DAY).used()).isEqualTo(27);
        assertThat(settled.window(TOKENS, MINUTE).limit()).isEqualTo(6000);
        assertThat(settled.window(REQUESTS, MINUTE).limit()).isNull();
        assertThat(first.release(released.reservation()).await().atMost(WAIT)).isEqualTo(Settlement.EXPIRED);
    }

    @Test
    void abandonedReservationExpiresAndALateCommitStillCounts() {
        AccountQuota account = account("groq", "org-a", REQUESTS, DAY, 1, TOKENS, DAY, 1000);
        Granted abandoned = grant(first.reserve("groq", List.of(account), UsageAmount.tokens(800)));
        assertThat(first.reserve("groq", List.of(account), UsageAmount.tokens(1)).await().atMost(WAIT)).isInstanceOf(Exhausted.class);

        fixture.clock.advance(LedgerFixture.TTL.plusMillis(1));

        assertThat(report(account).window(TOKENS, DAY).reserved()).isZero();
        Granted next = grant(second.reserve("groq", List.of(account), UsageAmount.tokens(800)));
        assertThat(first.release(next.reservation()).await().atMost(WAIT)).isEqualTo(Settlement.SETTLED);
        assertThat(first.commit(abandoned.reservation(), UsageAmount.tokens(640)).await().atMost(WAIT)).isEqualTo(Settlement.EXPIRED);
        var usage = report(account);
        assertThat(usage.window(TOKENS, DAY).used()).isEqualTo(640);
        assertThat(usage.window(REQUESTS, DAY).used()).isEqualTo(1);
    }

    /** A caller that does not report a unit is not taken to have used none of it: the reservation's estimate counts. */
    @Test
    void aUnitTheCallerDoesNotReportCountsWhatItsReservationHeld() {
        AccountQuota account = account("groq", "org-a", TOKENS, DAY, 6000, AUDIO_SECONDS, DAY, 600);
        Granted live = grant(first.reserve("groq", List.of(account), new UsageAmount(500, 30)));
        Granted late = grant(first.reserve("groq", List.of(account), new UsageAmount(700, 0)));

        assertThat(second.commit(live.reservation(), new ActualUsage(OptionalLong.empty(), OptionalLong.of(27)))
                .await().atMost(WAIT)).isEqualTo(Settlement.SETTLED);
        fixture.clock.advance(LedgerFixture.TTL.plusMillis(1));
        report(account);
        assertThat(first.commit(late.reservation(), new ActualUsage(OptionalLong.empty(), OptionalLong.empty()))
                .await().atMost(WAIT)).as("expired, and still known").isEqualTo(Settlement.EXPIRED);

        var usage = report(account);
        assertThat(usage.window(TOKENS, DAY).used()).isEqualTo(500 + 700);
        assertThat(usage.window(AUDIO_SECONDS, DAY).used()).isEqualTo(27);
    }

    /** An id is only base64 of provider, account and nonce: one made up must not spend the account's quota. */
    @Test
    void aCommitOrReleaseOfAnIdNeverGrantedCountsNothing() {
        AccountQuota account = account("groq", "org-a", REQUESTS, DAY, 10, TOKENS, DAY, 1000);
        grant(first.reserve("groq", List.of(account), UsageAmount.tokens(100)));
        Reservation madeUp = Reservation.named(new ReservationId("groq", "org-a", "r0123456789abcdef").encode(), account);

        assertThat(first.commit(madeUp, UsageAmount.tokens(900)).await().atMost(WAIT)).isEqualTo(Settlement.UNKNOWN);
        assertThat(second.release(madeUp).await().atMost(WAIT)).isEqualTo(Settlement.UNKNOWN);

        var usage = report(account);
        assertThat(usage.window(TOKENS, DAY).used()).isZero();
        assertThat(usage.window(REQUESTS, DAY).used()).isZero();
        assertThat(usage.window(TOKENS, DAY).reserved()).as("the real reservation still holds").isEqualTo(100);
    }

    /**
     * An expired reservation is remembered for one more TTL, then only the ledger that granted it vouches for it: a
     * call that outlived both still counts, while its id sent by anyone else is of a reservation no longer known.
     */
    @Test
    void anExpiredReservationIsForgottenOneTtlAfterItExpiredExceptByTheLedgerThatGrantedIt() {
        AccountQuota account = account("groq", "org-a", TOKENS, DAY, 1000);
        Granted abandoned = grant(first.reserve("groq", List.of(account), UsageAmount.tokens(100)));

        fixture.clock.advance(LedgerFixture.TTL.plusMillis(1));
        assertThat(report(account).window(TOKENS, DAY).reserved()).isZero();
        fixture.clock.advance(LedgerFixture.TTL);
        report(account);

        Reservation relayed = Reservation.named(abandoned.reservation().id(), account);
        assertThat(second.commit(relayed, UsageAmount.tokens(900)).await().atMost(WAIT)).isEqualTo(Settlement.UNKNOWN);
        assertThat(report(account).window(TOKENS, DAY).used()).isZero();
        assertThat(first.commit(abandoned.reservation(), UsageAmount.tokens(640)).await().atMost(WAIT)).isEqualTo(Settlement.EXPIRED);
        assertThat(report(account).window(TOKENS, DAY).used()).isEqualTo(640);
    }

    /** A call that may run longer than the reservation TTL keeps its hold while it may run: no one else gets its quota. */
    @Test
    void aSlowCallsHoldLastsAsLongAsTheCallMayRun() {
        AccountQuota account = account("groq", "org-a", REQUESTS, DAY, 1);
        grant(first.reserve("groq", List.of(account), UsageAmount.NONE, 0, LedgerFixture.TTL.multipliedBy(5)));

        fixture.clock.advance(LedgerFixture.TTL.multipliedBy(3));
        assertThat(second.reserve("groq", List.of(account), UsageAmount.NONE).await().atMost(WAIT))
                .as("past the TTL, while the call may still run").isInstanceOf(Exhausted.class);

        fixture.clock.advance(LedgerFixture.TTL.multipliedBy(3));
        assertThat(report(account).window(REQUESTS, DAY).reserved()).as("refunded once the call cannot be running").isZero();
    }

    @Test
    void cooldownFromOneLedgerIsHonouredByAnother() {
        AccountQuota a = account("groq", "org-a", REQUESTS, DAY, 100);
        AccountQuota b = account("groq", "org-b", REQUESTS, DAY, 100);
        Instant until = first.cooldown(a, Optional.of(Duration.ofSeconds(30))).await().atMost(WAIT);
        assertThat(until).isEqualTo(fixture.clock.instant().plusSeconds(30));

        for (int i = 0; i < 5; i++) {
            assertThat(grant(second.reserve("groq", List.of(a, b), UsageAmount.NONE)).account()).isEqualTo("org-b");
        }
        Instant minuteEnd = second.cooldown(b, Optional.empty()).await().atMost(WAIT);
        assertThat(minuteEnd).isEqualTo(Instant.parse("2025-03-10T12:01:00Z"));
        Exhausted exhausted = (Exhausted) second.reserve("groq", List.of(a, b), UsageAmount.NONE).await().atMost(WAIT);
        assertThat(exhausted.cooldowns()).hasSize(2);
        assertThat(exhausted.retryAt()).isEqualTo(until);
        assertThat(report(a).cooldownUntil()).isEqualTo(until);

        fixture.clock.advance(Duration.ofSeconds(31));
        assertThat(grant(first.reserve("groq", List.of(a, b), UsageAmount.NONE)).account()).isEqualTo("org-a");
    }

    @Test
    void aCallWhoseOutputCanShrinkGetsTheTokensLeftWhenTheWholeEstimateNoLongerFits() {
        AccountQuota small = account("groq", "org-a", TOKENS, MINUTE, 1_000);
        AccountQuota smaller = account("groq", "org-b", TOKENS, MINUTE, 800);
        first.commit(grant(first.reserve("groq", List.of(small), UsageAmount.tokens(400))).reservation(), UsageAmount.tokens(400))
                .await().atMost(WAIT);

        Granted partial = grant(second.reserve("groq", List.of(small, smaller), UsageAmount.tokens(900), 100));

        assertThat(partial.account()).isEqualTo("org-b");
        assertThat(partial.held().tokens()).isEqualTo(800);
        assertThat(report(smaller).window(TOKENS, MINUTE).reserved()).isEqualTo(800);
        assertThat(first.reserve("groq", List.of(small, smaller), UsageAmount.tokens(900), 601).await().atMost(WAIT))
                .isInstanceOf(Exhausted.class);
        Granted rest = grant(first.reserve("groq", List.of(small, smaller), UsageAmount.tokens(900), 600));
        assertThat(rest.account()).isEqualTo("org-a");
        assertThat(rest.held().tokens()).isEqualTo(600);
        assertThat(report(small).window(TOKENS, MINUTE).reserved()).isEqualTo(600);
    }

    @Test
    void aWindowFilledOnlyByCallsInFlightIsRetriedInASecondNotAtItsReset() {
        AccountQuota account = account("groq", "org-a", TOKENS, MINUTE, 1_000);
        Granted inFlight = grant(first.reserve("groq", List.of(account), UsageAmount.tokens(900)));

        Exhausted held = (Exhausted) second.reserve("groq", List.of(account), UsageAmount.tokens(200)).await().atMost(WAIT);
        assertThat(held.windows()).singleElement().satisfies(window -> assertThat(window.heldByCallsInFlight()).isTrue());
        assertThat(held.retryAt()).isEqualTo(fixture.clock.instant().plusSeconds(1));

        first.commit(inFlight.reservation(), UsageAmount.tokens(900)).await().atMost(WAIT);
        Exhausted used = (Exhausted) second.reserve("groq", List.of(account), UsageAmount.tokens(200)).await().atMost(WAIT);
        assertThat(used.windows()).singleElement().satisfies(window -> assertThat(window.heldByCallsInFlight()).isFalse());
        assertThat(used.retryAt()).isEqualTo(Instant.parse("2025-03-10T12:01:00Z"));
    }

    @Test
    void aProvidersAbsurdRetryAfterCoolsTheAccountDownOnlyUntilItsDayResets() {
        AccountQuota account = account("groq", "org-a", REQUESTS, DAY, 100);

        Instant until = first.cooldown(account, Optional.of(Duration.ofSeconds(1L << 40))).await().atMost(WAIT);

        assertThat(until).isEqualTo(Instant.parse("2025-03-11T00:00:00Z"));
        Exhausted cooling = (Exhausted) second.reserve("groq", List.of(account), UsageAmount.NONE).await().atMost(WAIT);
        assertThat(cooling.retryAt()).isEqualTo(Instant.parse("2025-03-11T00:00:00Z"));
        assertThat(first.cooldown(account, Optional.of(Duration.ofSeconds(30))).await().atMost(WAIT))
                .isEqualTo(Instant.parse("2025-03-11T00:00:00Z"));
    }

    @Test
    void dayWindowRollsOverAtTheProvidersResetNotAtUtcMidnight() {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        DailyReset reset = new DailyReset(LocalTime.of(6, 0), berlin);
        AccountQuota account = account("groq", "org-a", FailurePolicy.CLOSED, reset, REQUESTS, DAY, 3);
        Instant resetAt = ZonedDateTime.of(2025, 3, 11, 6, 0, 0, 0, berlin).toInstant();

        fixture.clock.freezeAt(Instant.parse("2025-03-10T23:59:30Z"));
        for (int i = 0; i < 3; i++) {
            commitAll(List.of(grant(first.reserve("groq", List.of(account), UsageAmount.NONE))));
        }
        fixture.clock.advance(Duration.ofMinutes(1)); // past UTC midnight: still the same provider day
        Exhausted exhausted = (Exhausted) second.reserve("groq", List.of(account), UsageAmount.NONE).await().atMost(WAIT);
        assertThat(exhausted.retryAt()).isEqualTo(resetAt);
        assertThat(exhausted.windows()).containsExactly(new ExhaustedWindow("org-a", REQUESTS, DAY, resetAt, false));

        fixture.clock.freezeAt(resetAt.minusMillis(1));
        assertThat(first.reserve("groq", List.of(account), UsageAmount.NONE).await().atMost(WAIT)).isInstanceOf(Exhausted.class);
        fixture.clock.freezeAt(resetAt);
        grant(second.reserve("groq", List.of(account), UsageAmount.NONE));
        var usage = report(account).window(REQUESTS, DAY);
        assertThat(usage.reserved()).isEqualTo(1);
        assertThat(usage.resetAt()).isEqualTo(resetAt.plus(Duration.ofDays(1)));
    }

    /** Groq counts audio seconds per clock hour as well as per day: the hour refuses once full and frees at its end. */
    @Test
    void anHourWindowRefusesOnceFullUntilTheNextClockHourWhileTheDayKeepsCounting() {
        AccountQuota account = account("groq", "org-a", AUDIO_SECONDS, HOUR, 30, AUDIO_SECONDS, DAY, 100);
        // Within the reservation TTL (2 s) of the hour's end, so the last hour's holds are still held when it ends.
        fixture.clock.freezeAt(Instant.parse("2025-03-10T12:59:59Z"));
        for (int i = 0; i < 2; i++) {
            Granted call = grant(first.reserve("groq", List.of(account), UsageAmount.audioSeconds(11)));
            second.commit(call.reservation(), UsageAmount.audioSeconds(10)).await().atMost(WAIT);
        }

        Exhausted full = (Exhausted) second.reserve("groq", List.of(account), UsageAmount.audioSeconds(11)).await().atMost(WAIT);
        Instant hourEnd = Instant.parse("2025-03-10T13:00:00Z");
        assertThat(full.windows()).containsExactly(new ExhaustedWindow("org-a", AUDIO_SECONDS, HOUR, hourEnd, false));
        assertThat(full.retryAt()).isEqualTo(hourEnd);
        assertThat(first.reserve("groq", List.of(account), UsageAmount.audioSeconds(10)).await().atMost(WAIT))
                .as("10 s still fit the 30 s hour").isInstanceOf(Granted.class);

        Granted beforeTheHour = grant(first.reserve("groq", List.of(account), UsageAmount.audioSeconds(0)));
        fixture.clock.freezeAt(hourEnd.plusMillis(500));
        Granted next = grant(second.reserve("groq", List.of(account), UsageAmount.audioSeconds(11)));
        first.commit(beforeTheHour.reservation(), UsageAmount.audioSeconds(4)).await().atMost(WAIT);

        var usage = report(account);
        assertThat(usage.window(AUDIO_SECONDS, HOUR).reserved()).as("only the call of the new hour").isEqualTo(11);
        assertThat(usage.window(AUDIO_SECONDS, HOUR).used()).as("a call of the last hour settled now counts now").isEqualTo(4);
        assertThat(usage.window(REQUESTS, HOUR).used()).as("its request counted in the hour it was made").isZero();
        assertThat(usage.window(AUDIO_SECONDS, HOUR).resetAt()).isEqualTo(Instant.parse("2025-03-10T14:00:00Z"));
        assertThat(usage.window(AUDIO_SECONDS, DAY).used()).isEqualTo(24);
        assertThat(usage.window(AUDIO_SECONDS, DAY).reserved()).isEqualTo(10 + 11);
        assertThat(next.held().audioSeconds()).isEqualTo(11);
    }

    private List<ReservationResult> reserveConcurrently(int count, Function<Integer, UsageAmount> estimate, List<AccountQuota> eligible) {
        List<Uni<ReservationResult>> calls = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            QuotaLedger ledger = i % 2 == 0 ? first : second;
            calls.add(ledger.reserve(eligible.get(0).provider(), eligible, estimate.apply(i)));
        }
        return Uni.join().all(calls).andFailFast().await().atMost(WAIT);
    }

    private int commitAll(List<Granted> granted) {
        for (Granted grant : granted) {
            assertThat(second.commit(grant.reservation(), UsageAmount.NONE).await().atMost(WAIT)).isEqualTo(Settlement.SETTLED);
        }
        return granted.size();
    }

    private static List<Granted> granted(List<ReservationResult> results) {
        return results.stream().filter(r -> r instanceof Granted).map(Granted.class::cast).toList();
    }

    private static Map<String, Long> countByAccount(List<ReservationResult> results) {
        return granted(results).stream().collect(Collectors.groupingBy(Granted::account, Collectors.counting()));
    }

    private static Granted grant(Uni<ReservationResult> reservation) {
        ReservationResult result = reservation.await().atMost(WAIT);
        assertThat(result).isInstanceOf(Granted.class);
        return (Granted) result;
    }

    private UsageReport.AccountUsage report(AccountQuota account) {
        UsageReport report = first.report(List.of(account)).await().atMost(WAIT);
        assertThat(report.source()).isEqualTo(UsageReport.Source.REDIS);
        return report.accounts().get(0);
    }
}
