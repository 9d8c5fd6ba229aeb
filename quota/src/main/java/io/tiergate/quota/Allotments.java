package io.tiergate.quota;

import io.smallrye.mutiny.Uni;
import io.tiergate.quota.ReservationResult.Granted;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Blocks of calls this process holds on Redis (allotments), handed out one call at a time from memory. A block
 * closes when it is used up, when its hold-for time or its minute window ends, or when its account cools down
 * (a cooldown this process set, or one another replica set that reached it); no call of an account is drawn while
 * a cooldown known here is in force. Once its last call is settled, the calls it made are committed to Redis in
 * one call, which also refunds the rest of the hold.
 *
 * <p>Calls drawn here are settled here: their reservation ids mean nothing to Redis or to another process.
 */
final class Allotments {

    private final Map<String, List<Allotment>> openByProvider = new ConcurrentHashMap<>();
    private final Map<String, Draw> drawn = new ConcurrentHashMap<>();
    /** Cooldown ends by provider and account, kept until they pass. */
    private final Map<String, Instant> cooldowns = new ConcurrentHashMap<>();
    private final Consumer<Allotment> settle;

    /** @param settle commits a finished block's calls to Redis; called once per block */
    Allotments(Consumer<Allotment> settle) {
        this.settle = settle;
    }

    /**
     * One call from an open block of an eligible account, when one has room for {@code need} and Redis holds it until
     * {@code doneBy}, when the call may still run.
     */
    Optional<Granted> draw(String provider, List<AccountQuota> eligible, UsageAmount need, Instant now, Instant doneBy) {
        List<Allotment> blocks = openByProvider.get(provider);
        if (blocks == null) {
            return Optional.empty();
        }
        for (Allotment block : blocks) {
            if (coolingDown(block.account(), now)) {
                block.close();
            } else if (isEligible(block.account(), eligible) && !doneBy.isAfter(block.redisHold().expiresAt()) && block.take(need, now)) {
                return Optional.of(grant(block, need));
            }
            finishIfDone(block);
        }
        return Optional.empty();
    }

    /**
     * Starts handing out a block Redis granted for {@code calls} calls of {@code need}; the first of them goes to
     * the caller that asked for the block. Redis granted it before any cooldown of its account, so that first call
     * stands, but a block whose account is known to cool down by now hands out no other.
     */
    Granted open(Granted block, int calls, UsageAmount need, Instant now, Instant closesAt) {
        Allotment allotment = new Allotment(block, calls, need, closesAt);
        allotment.take(need, now);
        if (coolingDown(allotment.account(), now)) {
            allotment.close();
        }
        openByProvider.computeIfAbsent(block.provider(), ignored -> new CopyOnWriteArrayList<>()).add(allotment);
        Uni.createFrom().voidItem()
                .onItem().delayIt().by(Duration.between(now, closesAt))
                .subscribe().with(ignored -> {
                    allotment.close();
                    finishIfDone(allotment);
                });
        return grant(allotment, need);
    }

    /** @return whether {@code reservationId} was drawn here (and is now counted as used) */
    boolean commit(String reservationId, ActualUsage actual) {
        Draw draw = drawn.remove(reservationId);
        if (draw == null) {
            return false;
        }
        draw.block().used(actual.or(draw.need()));
        finishIfDone(draw.block());
        return true;
    }

    /** @return whether {@code reservationId} was drawn here (and is now handed back to its block) */
    boolean release(String reservationId) {
        Draw draw = drawn.remove(reservationId);
        if (draw == null) {
            return false;
        }
        draw.block().handBack(draw.need());
        finishIfDone(draw.block());
        return true;
    }

    /** Stops handing out calls of the account until {@code until}, e.g. once its provider answered 429. */
    void cooldown(String provider, String account, Instant until) {
        cooldowns.merge(key(provider, account), until, (known, later) -> later.isAfter(known) ? later : known);
        List<Allotment> blocks = openByProvider.get(provider);
        if (blocks == null) {
            return;
        }
        for (Allotment block : blocks) {
            if (block.account().account().equals(account)) {
                block.close();
                finishIfDone(block);
            }
        }
    }

    private boolean coolingDown(AccountQuota account, Instant now) {
        String key = key(account.provider(), account.account());
        Instant until = cooldowns.get(key);
        if (until == null) {
            return false;
        }
        if (!until.isAfter(now)) {
            cooldowns.remove(key, until);
            return false;
        }
        return true;
    }

    private static String key(String provider, String account) {
        return provider + '\n' + account;
    }

    private Granted grant(Allotment block, UsageAmount need) {
        AccountQuota account = block.account();
        String id = new ReservationId(account.provider(), account.account(), ReservationId.newDrawNonce()).encode();
        drawn.put(id, new Draw(block, need));
        return new Granted(Reservation.granted(id, account), block.redisHold().expiresAt(), need);
    }

    private void finishIfDone(Allotment block) {
        if (block.finishIfDone()) {
            List<Allotment> blocks = openByProvider.get(block.account().provider());
            if (blocks != null) {
                blocks.remove(block);
            }
            settle.accept(block);
        }
    }

    private static boolean isEligible(AccountQuota account, List<AccountQuota> eligible) {
        for (AccountQuota candidate : eligible) {
            if (candidate.account().equals(account.account())) {
                return true;
            }
        }
        return false;
    }

    private record Draw(Allotment block, UsageAmount need) {}

    /** One block: what is left to hand out, what its calls used, and whether it still hands out calls. */
    static final class Allotment {

        private final Granted redisHold;
        private final Instant closesAt;
        private int callsLeft;
        private long tokensLeft;
        private long audioSecondsLeft;
        private int inFlight;
        private long callsUsed;
        private long tokensUsed;
        private long audioSecondsUsed;
        private boolean closed;
        private boolean finished;

        Allotment(Granted redisHold, int calls, UsageAmount perCall, Instant closesAt) {
            this.redisHold = redisHold;
            this.closesAt = closesAt;
            this.callsLeft = calls;
            this.tokensLeft = perCall.tokens() * calls;
            this.audioSecondsLeft = perCall.audioSeconds() * calls;
        }

        Granted redisHold() {
            return redisHold;
        }

        AccountQuota account() {
            return redisHold.reservation().account();
        }

        synchronized boolean take(UsageAmount need, Instant now) {
            if (!closed && !now.isBefore(closesAt)) {
                closed = true;
            }
            if (closed || callsLeft == 0 || tokensLeft < need.tokens() || audioSecondsLeft < need.audioSeconds()) {
                return false;
            }
            callsLeft--;
            tokensLeft -= need.tokens();
            audioSecondsLeft -= need.audioSeconds();
            inFlight++;
            if (callsLeft == 0) {
                closed = true;
            }
            return true;
        }

        synchronized void used(UsageAmount actual) {
            inFlight--;
            callsUsed++;
            tokensUsed += actual.tokens();
            audioSecondsUsed += actual.audioSeconds();
        }

        /** A call that failed before the provider counted it: its share goes back to the block while it is open. */
        synchronized void handBack(UsageAmount need) {
            inFlight--;
            if (!closed) {
                callsLeft++;
                tokensLeft += need.tokens();
                audioSecondsLeft += need.audioSeconds();
            }
        }

        synchronized void close() {
            closed = true;
        }

        /** True exactly once: when the block is closed and none of its calls is still in flight. */
        synchronized boolean finishIfDone() {
            if (closed && inFlight == 0 && !finished) {
                finished = true;
                return true;
            }
            return false;
        }

        synchronized long callsUsed() {
            return callsUsed;
        }

        synchronized long tokensUsed() {
            return tokensUsed;
        }

        synchronized long audioSecondsUsed() {
            return audioSecondsUsed;
        }
    }
}
