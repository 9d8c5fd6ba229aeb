package io.tiergate.quota;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.tiergate.quota.ReservationResult.Granted;
import io.tiergate.quota.ReservationResult.Unavailable;
import io.vertx.mutiny.redis.client.Redis;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Quota reservations shared by every replica through Redis: reserve before a provider call, commit or release
 * after it. Each operation is one Redis round trip (one quota.lua call) and never blocks a thread. With allotments
 * on, one reservation may hold a block of calls that this ledger hands out from memory (see {@link Allotments}).
 *
 * <p>While Redis is unreachable a provider's {@link FailurePolicy} decides: {@code CLOSED} refuses,
 * {@code OPEN} serves from this process's memory, but only this replica's share of each account's headroom: every
 * {@code heartbeatInterval} the ledger tells Redis it is alive, learns how many replicas are, and reads the counts
 * of the accounts it serves open (see {@link MemoryQuotaStore}). Settlements of reservations held in Redis are kept
 * and replayed, and memory counts are added to Redis, once Redis answers again. As Redis may still run a command this
 * ledger gave up waiting for, every change is idempotent there: a reservation given up on is voided, and a
 * settlement or batch of memory counts that arrives twice counts once.
 */
public class QuotaLedger {

    private static final Logger LOG = Logger.getLogger(QuotaLedger.class);

    private final QuotaScript script;
    private final RedisQuotaStore redis;
    private final MemoryQuotaStore memory;
    private final Allotments allotments = new Allotments(this::settle);
    private final RedisChannelFeed cooldowns;
    private final Clock clock;
    private final QuotaSettings settings;
    private final Queue<Supplier<Uni<?>>> deferred = new ConcurrentLinkedQueue<>();
    private final AtomicInteger deferredCount = new AtomicInteger();
    private final AtomicBoolean reconnecting = new AtomicBoolean();
    private final String replicaId = UUID.randomUUID().toString();
    /** Accounts that fail open this ledger reserved on, whose headroom each heartbeat reads. */
    private final Map<String, AccountQuota> servedOpen = new ConcurrentHashMap<>();
    private volatile boolean redisReachable = true;
    private volatile boolean closed;

    public QuotaLedger(Redis client, Clock clock, QuotaSettings settings) {
        this.script = new QuotaScript(client, settings.redisTimeout());
        this.redis = new RedisQuotaStore(script, settings.keyPrefix(), settings.reservationTtl());
        this.memory = new MemoryQuotaStore(settings.reservationTtl());
        this.clock = clock;
        this.settings = settings;
        this.cooldowns = new RedisChannelFeed(client, QuotaKeys.cooldownChannel(settings.keyPrefix()), settings.retryInterval(),
                this::cooledElsewhere, () -> { });
        cooldowns.start();
        heartbeatAfter(settings.heartbeatInterval());
    }

    /** Stops the heartbeats, reconnection attempts and listening for other replicas' cooldowns. */
    public void close() {
        closed = true;
        cooldowns.close();
    }

    /**
     * Holds {@code estimate} (plus one request) on the eligible account with the most headroom left across all its
     * units and windows, in each of its minute, hour and day windows. With allotments on, the call comes from a block this
     * ledger already holds when one has room, and otherwise Redis is asked for a new block.
     *
     * @param eligible accounts of {@code provider} the caller may use, at least one
     */
    public Uni<ReservationResult> reserve(String provider, List<AccountQuota> eligible, UsageAmount estimate) {
        return reserve(provider, eligible, estimate, estimate.tokens());
    }

    /**
     * As {@link #reserve(String, List, UsageAmount)}, for a call whose tokens can shrink down to {@code fewestTokens}
     * (its output cap can be lowered): when no eligible account has room for the whole estimate, the one with the
     * most tokens left holds all it has left, and {@link Granted#held()} says how many that is. Only Redis makes such
     * partial grants; blocks and the in-memory ledger grant the whole estimate or nothing.
     */
    public Uni<ReservationResult> reserve(String provider, List<AccountQuota> eligible, UsageAmount estimate, long fewestTokens) {
        return reserve(provider, eligible, estimate, fewestTokens, Duration.ZERO);
    }

    /**
     * As {@link #reserve(String, List, UsageAmount, long)}, for a call that may run for up to {@code callFor}: its hold
     * outlasts that ({@code reservation-ttl} being the least it lasts), so that a slow call's quota is not refunded to
     * other callers while the provider is still working on it.
     */
    public Uni<ReservationResult> reserve(String provider, List<AccountQuota> eligible, UsageAmount estimate, long fewestTokens,
            Duration callFor) {
        if (fewestTokens < 0 || fewestTokens > estimate.tokens()) {
            throw new IllegalArgumentException("fewest tokens " + fewestTokens + " must be between 0 and the estimate's " + estimate.tokens());
        }
        if (eligible.isEmpty()) {
            throw new IllegalArgumentException("no eligible account of " + provider + " to reserve on");
        }
        if (eligible.stream().anyMatch(a -> !a.provider().equals(provider))) {
            throw new IllegalArgumentException("every eligible account must belong to " + provider);
        }
        return Uni.createFrom().deferred(() -> reserveNow(provider, eligible, estimate, fewestTokens, callFor));
    }

    private Uni<ReservationResult> reserveNow(String provider, List<AccountQuota> eligible, UsageAmount estimate, long fewestTokens,
            Duration callFor) {
        Instant now = clock.instant();
        if (settings.allotment().enabled()) {
            Optional<Granted> drawn = allotments.draw(provider, eligible, estimate, now, now.plus(callFor));
            if (drawn.isPresent()) {
                return Uni.createFrom().item(drawn.get());
            }
        }
        // A block hands out calls until its hold-for ends, and the last of them may run for callFor after that.
        Instant lastCallDone = now.plus(settings.allotment().enabled() ? settings.allotment().holdFor() : Duration.ZERO).plus(callFor);
        Instant ttlEnd = now.plus(settings.reservationTtl());
        Instant expiresAt = lastCallDone.isAfter(ttlEnd) ? lastCallDone : ttlEnd;
        FailurePolicy policy = eligible.get(0).policy();
        if (policy == FailurePolicy.OPEN) {
            eligible.forEach(account -> servedOpen.putIfAbsent(account.provider() + '\n' + account.account(), account));
        }
        String nonce = ReservationId.newNonce(false);
        return whenReachable(
                () -> redis.reserve(provider, eligible, estimate, fewestTokens, now, expiresAt, nonce, settings.allotment())
                        .onFailure(QuotaLedger::mayHaveRun).invoke(() -> abandoned(provider, eligible, nonce))
                        .map(held -> held.calls() > 1
                                ? allotments.open((Granted) held.result(), held.calls(), estimate, now, closesAt(now, eligible))
                                : held.result()),
                () -> policy == FailurePolicy.OPEN
                        ? Uni.createFrom().item(memory.reserve(provider, eligible, estimate, now, expiresAt, ReservationId.newNonce(true)))
                        : Uni.createFrom().item(new Unavailable(provider, "Redis is unreachable and " + provider + " fails closed")));
    }

    /**
     * Replaces the reservation's hold with what the call actually used. An expired reservation still counts (the
     * provider counted the call); a {@linkplain Reservation#named named} one Redis does not know counts nothing
     * ({@link Settlement#UNKNOWN}), as its id may never have been granted.
     */
    public Uni<Settlement> commit(Reservation reservation, UsageAmount actual) {
        return commit(reservation, ActualUsage.of(actual));
    }

    /** As {@link #commit(Reservation, UsageAmount)}; a unit the caller did not report counts what the reservation held. */
    public Uni<Settlement> commit(Reservation reservation, ActualUsage actual) {
        if (allotments.commit(reservation.id(), actual)) {
            return Uni.createFrom().item(Settlement.SETTLED);
        }
        ReservationId id = ReservationId.parse(reservation.id());
        if (id.drawn()) {
            return Uni.createFrom().item(Settlement.EXPIRED);
        }
        AccountQuota account = reservation.account();
        if (id.local()) {
            Instant now = clock.instant();
            Settlement settled = memory.commit(account, id.nonce(), actual, now);
            if (redisReachable) {
                flushMemory().subscribe().with(ignored -> {}, failure -> unreachable(failure));
            }
            return Uni.createFrom().item(settled);
        }
        // Redis counts nothing for an id it does not know, which could be one never granted, unless this ledger granted
        // it; a replay kept while Redis was away counts anyway, as Redis may have lost the reservation meanwhile.
        return whenReachable(
                () -> redis.commit(id, actual, Windows.at(clock.instant(), account.reset()), reservation.grantedHere()),
                () -> defer(() -> redis.commit(id, actual, Windows.at(clock.instant(), account.reset()), true)));
    }

    /** Refunds the reservation's hold: the call failed before the provider counted it. */
    public Uni<Settlement> release(Reservation reservation) {
        if (allotments.release(reservation.id())) {
            return Uni.createFrom().item(Settlement.SETTLED);
        }
        ReservationId id = ReservationId.parse(reservation.id());
        if (id.drawn()) {
            return Uni.createFrom().item(Settlement.EXPIRED);
        }
        if (id.local()) {
            return Uni.createFrom().item(memory.release(reservation.account(), id.nonce(), clock.instant()));
        }
        return whenReachable(() -> redis.release(id), () -> defer(() -> redis.release(id)));
    }

    /**
     * Skips the account on every replica after the provider answered 429: for {@code retryAfter} when the provider
     * said, otherwise until its minute window resets; never past its day window's reset, when every quota it has is
     * new again, so a provider's absurd Retry-After cannot take an account away for good (a later, shorter cooldown
     * does not shorten one in force).
     *
     * @return when the cooldown in force ends (a longer earlier one is kept)
     */
    public Uni<Instant> cooldown(AccountQuota account, Optional<Duration> retryAfter) {
        Instant now = clock.instant();
        Windows windows = Windows.at(now, account.reset());
        Instant dayEnd = Instant.ofEpochMilli(windows.dayEnd());
        Instant until = retryAfter.filter(wait -> wait.compareTo(Duration.between(now, dayEnd)) < 0).map(now::plus)
                .orElseGet(() -> retryAfter.isPresent() ? dayEnd : Instant.ofEpochMilli(windows.minuteEnd()));
        Instant local = cooled(account.provider(), account.account(), until);
        return whenReachable(
                () -> redis.cooldown(account.provider(), account.account(), until),
                () -> defer(() -> redis.cooldown(account.provider(), account.account(), until)).replaceWith(local));
    }

    /**
     * A cooldown published by any replica, this one's included, as {@code provider\naccount\nendEpochMillis}. One
     * published while the feed was down is missed here: a block of that account then hands out calls until its
     * hold-for time ends, while Redis refuses new blocks of it.
     */
    private void cooledElsewhere(String message) {
        String[] parts = message.split("\n", -1);
        cooled(parts[0], parts[1], Instant.ofEpochMilli(Long.parseLong(parts[2])));
    }

    /** A cooldown set here or published by another replica: no call of the account comes from memory before it ends. */
    private Instant cooled(String provider, String account, Instant until) {
        allotments.cooldown(provider, account, until);
        return memory.cooldown(provider, account, until);
    }

    /**
     * Used, reserved and limit per unit and window for each account; while Redis is unreachable, what this replica
     * served and its share of each limit.
     */
    public Uni<UsageReport> report(List<AccountQuota> accounts) {
        Instant now = clock.instant();
        if (accounts.isEmpty()) {
            return Uni.createFrom().item(new UsageReport(now, UsageReport.Source.REDIS, List.of()));
        }
        return whenReachable(
                () -> reportAndLearn(accounts, now).map(usage -> new UsageReport(now, UsageReport.Source.REDIS, usage)),
                () -> Uni.createFrom().item(new UsageReport(now, UsageReport.Source.MEMORY, memory.report(accounts, now))));
    }

    /** Redis's counts, which also tell the memory ledger the headroom of accounts that fail open. */
    private Uni<List<UsageReport.AccountUsage>> reportAndLearn(List<AccountQuota> accounts, Instant now) {
        long[][][] confirmed = memory.confirmed(accounts, now);
        return redis.report(accounts, now).invoke(usage -> memory.learn(accounts, usage, confirmed, now));
    }

    /** Then every heartbeat interval until closed; skipped while Redis is unreachable, as reconnecting takes over. */
    private void heartbeatAfter(Duration delay) {
        Uni.createFrom().voidItem()
                .onItem().delayIt().by(delay)
                .chain(() -> closed || !redisReachable ? Uni.createFrom().voidItem() : heartbeat())
                .subscribe().with(ignored -> {
                    if (!closed) {
                        heartbeatAfter(settings.heartbeatInterval());
                    }
                });
    }

    /**
     * Counts this replica alive, learns how many are, and reads the headroom of the accounts it serves open. A
     * heartbeat that fails leaves what was learnt before in place; whether Redis is reachable is for the calls
     * that serve requests to find out.
     */
    private Uni<Void> heartbeat() {
        return redis.heartbeat(replicaId, settings.heartbeatInterval().multipliedBy(3))
                .invoke(memory::replicasAlive)
                .chain(() -> servedOpen.isEmpty()
                        ? Uni.createFrom().voidItem()
                        : reportAndLearn(List.copyOf(servedOpen.values()), clock.instant()).replaceWithVoid())
                .onFailure().recoverWithItem(failure -> {
                    if (QuotaScript.isCommandError(failure)) {
                        LOG.errorf("Quota heartbeat refused by Redis: %s", failure.toString());
                    } else {
                        LOG.debugf("Quota heartbeat failed: %s", failure.toString());
                    }
                    return null;
                })
                .replaceWithVoid();
    }

    /** Whether the last Redis call succeeded. */
    public boolean redisReachable() {
        return redisReachable;
    }

    /** Asks Redis now; a failure switches to the failure policies until Redis answers again. */
    public Uni<Boolean> checkRedis() {
        return script.ping()
                .replaceWith(redisReachable)
                .onFailure(failure -> !QuotaScript.isCommandError(failure))
                .recoverWithItem(failure -> {
                    unreachable(failure);
                    return false;
                });
    }

    private <T> Uni<T> whenReachable(Supplier<Uni<T>> onRedis, Supplier<Uni<T>> otherwise) {
        if (!redisReachable) {
            return otherwise.get();
        }
        return Uni.createFrom().<T>deferred(onRedis::get)
                .onFailure(failure -> !QuotaScript.isCommandError(failure))
                .recoverWithUni(failure -> {
                    unreachable(failure);
                    return otherwise.get();
                });
    }

    /** A block hands out calls for {@code holdFor} at most, and never past its minute window. */
    private Instant closesAt(Instant now, List<AccountQuota> eligible) {
        Instant minuteEnd = Instant.ofEpochMilli(Windows.at(now, eligible.get(0).reset()).minuteEnd());
        Instant holdEnd = now.plus(settings.allotment().holdFor());
        return holdEnd.isBefore(minuteEnd) ? holdEnd : minuteEnd;
    }

    /** Commits a finished block's calls in one Redis call, refunding the rest of its hold. */
    private void settle(Allotments.Allotment block) {
        AccountQuota account = block.account();
        ReservationId id = ReservationId.parse(block.redisHold().reservation().id());
        long calls = block.callsUsed();
        Supplier<Uni<Settlement>> apply = calls == 0
                ? () -> redis.release(id)
                : () -> redis.commit(id, calls, block.tokensUsed(), block.audioSecondsUsed(), Windows.at(clock.instant(), account.reset()), true);
        whenReachable(apply, () -> defer(apply))
                .subscribe().with(ignored -> { }, failure -> LOG.warnf("Settling an allotment of %s/%s failed: %s",
                        account.provider(), account.account(), failure.toString()));
    }

    /**
     * A reservation Redis did not answer in time may still run there (a slow or frozen Redis runs the commands it
     * already received): it is voided once Redis answers again, so it holds nothing whenever it runs.
     */
    private void abandoned(String provider, List<AccountQuota> eligible, String nonce) {
        keep(() -> redis.voidReservation(provider, eligible, nonce));
    }

    /** Whether Redis may have run a command that failed: anything but Redis refusing the command itself. */
    private static boolean mayHaveRun(Throwable failure) {
        return !QuotaScript.isCommandError(failure);
    }

    private <T> Uni<Settlement> defer(Supplier<Uni<T>> settlement) {
        keep(settlement);
        return Uni.createFrom().item(Settlement.DEFERRED);
    }

    /** Keeps an operation to replay, in order, once Redis answers again; every one of them is idempotent there. */
    private <T> void keep(Supplier<Uni<T>> operation) {
        if (deferredCount.incrementAndGet() > settings.maxDeferred()) {
            deferredCount.decrementAndGet();
            LOG.errorf("Redis unreachable and %d settlements already kept; dropping one", settings.maxDeferred());
        } else {
            deferred.add(operation::get);
        }
    }

    private void unreachable(Throwable failure) {
        if (redisReachable) {
            redisReachable = false;
            LOG.warnf("Redis unreachable (%s); quota follows each provider's failure policy until it returns", failure.toString());
        }
        if (!closed && reconnecting.compareAndSet(false, true)) {
            Uni.createFrom().voidItem()
                    .onItem().delayIt().by(settings.retryInterval())
                    .chain(script::ping)
                    .chain(this::reconcile)
                    .subscribe().with(
                            ignored -> {
                                redisReachable = true;
                                reconnecting.set(false);
                                LOG.info("Redis reachable again; quota counts reconciled");
                                // Commits that landed in memory while reconciling ran.
                                flushMemory().subscribe().with(done -> {}, this::unreachable);
                            },
                            again -> {
                                reconnecting.set(false);
                                unreachable(again);
                            });
        }
    }

    /** Replays settlements kept while Redis was away, in order, then adds usage counted in memory. */
    private Uni<Void> reconcile() {
        Supplier<Uni<?>> next = deferred.peek();
        if (next == null) {
            return flushMemory();
        }
        return next.get().chain(() -> {
            deferred.poll();
            deferredCount.decrementAndGet();
            return reconcile();
        });
    }

    private Uni<Void> flushMemory() {
        return Multi.createFrom().iterable(memory.unflushed())
                .onItem().transformToUniAndConcatenate(pending -> redis
                        .record(pending.provider(), pending.account(), pending.window(), pending.windowStart(), pending.batch(),
                                pending.amounts())
                        .invoke(() -> memory.flushed(pending)))
                .collect().last()
                .replaceWithVoid();
    }
}
