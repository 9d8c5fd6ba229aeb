package io.tiergate.quota;

import io.tiergate.quota.ReservationResult.ExhaustedWindow;
import io.tiergate.quota.ReservationResult.Granted;
import io.tiergate.quota.UsageReport.AccountUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * This process's own ledger for providers that fail open while Redis is unreachable: the same rules as quota.lua,
 * on what this process serves, kept until it has been added to Redis. Other replicas serve meanwhile too, so of
 * each window this process serves only its share: the headroom Redis last showed for the window (the whole limit
 * in a window Redis was not seen in) divided by the number of replicas alive then, this one included.
 */
final class MemoryQuotaStore {

    private static final int WINDOWS = Codes.WINDOWS.length;
    private static final int UNITS = Codes.UNITS.length;

    /**
     * A batch of usage committed here, to be added to Redis. It is sent as it is until Redis confirms it, and Redis
     * adds a batch once however often it arrives (a send that timed out may still have been applied).
     */
    record Unflushed(String provider, String account, QuotaWindow window, long windowStart, String batch, long[] amounts) {}

    private record Hold(long[] starts, long[] amounts, long expiresAt) {}

    /**
     * A reservation no longer held, remembered until {@code forgetAt}: a late commit of an expired one still counts,
     * {@code held} (requests, tokens, audio seconds) for what its caller does not report.
     */
    private record Ended(long forgetAt, boolean settled, long[] held) {}

    private static final class AccountState {
        final long[] starts = unset();
        final long[][] used = new long[WINDOWS][UNITS];
        final long[][] reserved = new long[WINDOWS][UNITS];
        long cooldownUntil;
        final Map<String, Hold> holds = new HashMap<>();
        final Map<String, Ended> ended = new HashMap<>();
        /** Of used, what Redis has confirmed (added to its counts), per window and unit. */
        final long[][] confirmed = new long[WINDOWS][UNITS];
        /** Per window, the start of the one Redis last showed, or -1. */
        final long[] seenStarts = unset();
        /** Per window and unit, the limit less used and reserved that Redis last showed. */
        final long[][] seenHeadroom = new long[WINDOWS][UNITS];
        /** Per window and unit, the part of used that those counts already held. */
        final long[][] seenUsed = new long[WINDOWS][UNITS];

        private static long[] unset() {
            long[] starts = new long[WINDOWS];
            Arrays.fill(starts, -1);
            return starts;
        }

        boolean seen(int w) {
            return seenStarts[w] == starts[w];
        }

        /** What this process may still count in the window: its share less what it served since Redis was seen. */
        long left(int w, int u, long limit, int replicas, long need) {
            long headroom = seen(w) ? seenHeadroom[w][u] : limit;
            return QuotaRule.headroomAfter(share(headroom, replicas), usedSinceSeen(w, u), reserved[w][u], need);
        }

        long usedSinceSeen(int w, int u) {
            return seen(w) ? used[w][u] - seenUsed[w][u] : used[w][u];
        }

        long share(int w, int u, long limit, int replicas) {
            return share(seen(w) ? seenHeadroom[w][u] : limit, replicas);
        }

        private static long share(long headroom, int replicas) {
            return Math.max(0, headroom) / replicas;
        }
    }

    private record FlushKey(String provider, String account, QuotaWindow window, long windowStart) {}

    private final long retentionMillis;
    private final Map<String, AccountState> accounts = new HashMap<>();
    /** Replicas alive as last seen in Redis, this one included. */
    private int replicas = 1;
    /** Usage committed here and not in a batch yet. */
    private final Map<FlushKey, long[]> unflushed = new LinkedHashMap<>();
    /** Batches taken for Redis and not yet confirmed, at most one per window. */
    private final Map<FlushKey, Unflushed> batches = new LinkedHashMap<>();

    /** @param retention how long a reservation that expired or was settled is remembered, as Redis does */
    MemoryQuotaStore(Duration retention) {
        this.retentionMillis = retention.toMillis();
    }

    synchronized ReservationResult reserve(
            String provider, List<AccountQuota> eligible, UsageAmount estimate, Instant now, Instant expiresAt, String nonce) {
        Windows windows = Windows.at(now, eligible.get(0).reset());
        long[] need = amounts(1, estimate);
        AccountQuota best = null;
        AccountState bestState = null;
        double bestRoom = -1;
        Refusals refusals = new Refusals(provider, now);
        for (AccountQuota account : eligible) {
            AccountState state = current(account, windows, now);
            if (state.cooldownUntil > now.toEpochMilli()) {
                refusals.cooldown(account.account(), Instant.ofEpochMilli(state.cooldownUntil));
                continue;
            }
            double room = 2;
            List<ExhaustedWindow> exhausted = new ArrayList<>();
            for (QuotaUnit unit : Codes.UNITS) {
                for (QuotaWindow window : Codes.WINDOWS) {
                    var limit = account.limit(unit, window);
                    if (limit.isEmpty()) {
                        continue;
                    }
                    int w = window.ordinal();
                    int u = unit.ordinal();
                    long left = state.left(w, u, limit.getAsLong(), replicas, need[u]);
                    long share = state.share(w, u, limit.getAsLong(), replicas);
                    if (left < 0) {
                        boolean inFlight = left + state.reserved[w][u] >= 0;
                        exhausted.add(new ExhaustedWindow(account.account(), unit, window, Instant.ofEpochMilli(windows.end(window)), inFlight));
                    } else if (share > 0) {
                        room = Math.min(room, (double) left / share);
                    }
                }
            }
            if (!exhausted.isEmpty()) {
                refusals.exhausted(exhausted);
            } else if (room > bestRoom) {
                best = account;
                bestState = state;
                bestRoom = room;
            }
        }
        if (best == null) {
            return refusals.result();
        }
        for (int w = 0; w < WINDOWS; w++) {
            add(bestState.reserved[w], need, 1);
        }
        bestState.holds.put(nonce, new Hold(bestState.starts.clone(), need, expiresAt.toEpochMilli()));
        return new Granted(Reservation.granted(new ReservationId(provider, best.account(), nonce).encode(), best), expiresAt, estimate);
    }

    synchronized Settlement commit(AccountQuota account, String nonce, ActualUsage reported, Instant now) {
        Windows windows = Windows.at(now, account.reset());
        AccountState state = current(account, windows, now);
        Hold hold = state.holds.remove(nonce);
        boolean[] stillCurrent = hold == null ? null : refund(state, hold);
        Ended ended = state.ended.get(nonce);
        if (stillCurrent == null && (ended == null || ended.settled())) {
            return ended == null ? Settlement.UNKNOWN : Settlement.EXPIRED;
        }
        long[] held = hold != null ? hold.amounts() : ended.held();
        UsageAmount actual = reported.or(new UsageAmount(held[1], held[2]));
        state.ended.put(nonce, new Ended(now.toEpochMilli() + retentionMillis, true, null));
        for (QuotaWindow window : Codes.WINDOWS) {
            int w = window.ordinal();
            long[] counted = amounts(stillCurrent == null || stillCurrent[w] ? 1 : 0, actual);
            add(state.used[w], counted, 1);
            long[] pending = unflushed.computeIfAbsent(
                    new FlushKey(account.provider(), account.account(), window, state.starts[w]), k -> new long[UNITS]);
            add(pending, counted, 1);
        }
        return stillCurrent != null ? Settlement.SETTLED : Settlement.EXPIRED;
    }

    synchronized Settlement release(AccountQuota account, String nonce, Instant now) {
        AccountState state = current(account, Windows.at(now, account.reset()), now);
        if (unhold(state, nonce) != null) {
            state.ended.put(nonce, new Ended(now.toEpochMilli() + retentionMillis, true, null));
            return Settlement.SETTLED;
        }
        return state.ended.containsKey(nonce) ? Settlement.EXPIRED : Settlement.UNKNOWN;
    }

    synchronized Instant cooldown(String provider, String account, Instant until) {
        AccountState state = accounts.computeIfAbsent(key(provider, account), k -> new AccountState());
        state.cooldownUntil = Math.max(state.cooldownUntil, until.toEpochMilli());
        return Instant.ofEpochMilli(state.cooldownUntil);
    }

    /**
     * What this process may serve: per window, its share as the limit and what it served of it as used, so that
     * {@link QuotaRule} on the report agrees with {@link #reserve}.
     */
    synchronized List<AccountUsage> report(List<AccountQuota> eligible, Instant now) {
        List<AccountUsage> report = new ArrayList<>();
        for (AccountQuota account : eligible) {
            Windows windows = Windows.at(now, account.reset());
            AccountState state = current(account, windows, now);
            long[] counts = new long[2 * UNITS * WINDOWS];
            Long[] shares = new Long[UNITS * WINDOWS];
            int c = 0;
            for (QuotaUnit unit : Codes.UNITS) {
                for (QuotaWindow window : Codes.WINDOWS) {
                    int w = window.ordinal();
                    int u = unit.ordinal();
                    var limit = account.limit(unit, window);
                    shares[c / 2] = limit.isPresent() ? state.share(w, u, limit.getAsLong(), replicas) : null;
                    counts[c++] = state.usedSinceSeen(w, u);
                    counts[c++] = state.reserved[w][u];
                }
            }
            report.add(Refusals.usage(account, state.cooldownUntil, counts, shares, windows, now));
        }
        return report;
    }

    /** How many replicas Redis last showed alive, this one included. */
    synchronized void replicasAlive(int alive) {
        replicas = Math.max(1, alive);
    }

    /**
     * Per account, the part of its usage committed here that Redis has confirmed, as {@link #learn} needs it. Taken
     * before Redis is asked for its counts, so that what Redis confirms meanwhile is counted here as well (safe).
     */
    synchronized long[][][] confirmed(List<AccountQuota> accountList, Instant now) {
        long[][][] confirmed = new long[accountList.size()][][];
        for (int a = 0; a < accountList.size(); a++) {
            AccountQuota account = accountList.get(a);
            AccountState state = current(account, Windows.at(now, account.reset()), now);
            confirmed[a] = new long[WINDOWS][];
            for (int w = 0; w < WINDOWS; w++) {
                confirmed[a][w] = state.confirmed[w].clone();
            }
        }
        return confirmed;
    }

    /**
     * Redis's counts for accounts that fail open, as read at {@code now}: while Redis is unreachable this process
     * serves its share of the headroom they leave. A cooldown among them is honoured here too.
     *
     * @param confirmed what {@link #confirmed} gave for {@code accountList} before Redis was asked
     */
    synchronized void learn(List<AccountQuota> accountList, List<AccountUsage> usage, long[][][] confirmed, Instant now) {
        for (int a = 0; a < accountList.size(); a++) {
            AccountQuota account = accountList.get(a);
            if (account.policy() != FailurePolicy.OPEN) {
                continue;
            }
            AccountUsage seen = usage.stream()
                    .filter(u -> u.provider().equals(account.provider()) && u.account().equals(account.account()))
                    .findFirst().orElseThrow();
            AccountState state = current(account, Windows.at(now, account.reset()), now);
            for (QuotaWindow window : Codes.WINDOWS) {
                int w = window.ordinal();
                state.seenStarts[w] = state.starts[w];
                for (QuotaUnit unit : Codes.UNITS) {
                    int u = unit.ordinal();
                    UsageReport.WindowUsage counts = seen.window(unit, window);
                    state.seenHeadroom[w][u] = counts.limit() == null ? 0 : counts.limit() - counts.used() - counts.reserved();
                    state.seenUsed[w][u] = confirmed[a][w][u];
                }
            }
            if (seen.cooldownUntil() != null) {
                state.cooldownUntil = Math.max(state.cooldownUntil, seen.cooldownUntil().toEpochMilli());
            }
        }
    }

    /**
     * What to add to Redis: per window, the batch taken before and not yet confirmed, or else a new batch of the
     * usage committed since the last one.
     */
    synchronized List<Unflushed> unflushed() {
        for (Iterator<Map.Entry<FlushKey, long[]>> it = unflushed.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<FlushKey, long[]> pending = it.next();
            FlushKey k = pending.getKey();
            if (!batches.containsKey(k)) {
                batches.put(k, new Unflushed(k.provider(), k.account(), k.window(), k.windowStart(), ReservationId.newBatchNonce(),
                        pending.getValue()));
                it.remove();
            }
        }
        return List.copyOf(batches.values());
    }

    /** Redis now holds {@code flushed}; usage committed here since it was taken goes in the next batch. */
    synchronized void flushed(Unflushed flushed) {
        if (batches.remove(new FlushKey(flushed.provider(), flushed.account(), flushed.window(), flushed.windowStart()), flushed)) {
            AccountState state = accounts.get(key(flushed.provider(), flushed.account()));
            int w = flushed.window().ordinal();
            if (state != null && state.starts[w] == flushed.windowStart()) {
                add(state.confirmed[w], flushed.amounts(), 1);
            }
        }
    }

    /** The account's state with expired holds refunded and windows rolled over to those holding {@code now}. */
    private AccountState current(AccountQuota account, Windows windows, Instant now) {
        AccountState state = accounts.computeIfAbsent(key(account.provider(), account.account()), k -> new AccountState());
        long nowMillis = now.toEpochMilli();
        state.ended.values().removeIf(ended -> ended.forgetAt() <= nowMillis);
        for (Iterator<Map.Entry<String, Hold>> it = state.holds.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Hold> hold = it.next();
            if (hold.getValue().expiresAt() <= nowMillis) {
                refund(state, hold.getValue());
                state.ended.put(hold.getKey(), new Ended(hold.getValue().expiresAt() + retentionMillis, false, hold.getValue().amounts()));
                it.remove();
            }
        }
        for (QuotaWindow window : Codes.WINDOWS) {
            int w = window.ordinal();
            if (state.starts[w] < windows.start(window)) {
                state.starts[w] = windows.start(window);
                state.used[w] = new long[UNITS];
                state.reserved[w] = new long[UNITS];
                state.confirmed[w] = new long[UNITS];
            }
        }
        return state;
    }

    /** @return per window, whether the hold was made in the current one; null when there is no such hold */
    private static boolean[] unhold(AccountState state, String nonce) {
        Hold hold = state.holds.remove(nonce);
        return hold == null ? null : refund(state, hold);
    }

    private static boolean[] refund(AccountState state, Hold hold) {
        boolean[] current = new boolean[WINDOWS];
        for (int w = 0; w < WINDOWS; w++) {
            current[w] = state.starts[w] == hold.starts()[w];
            if (current[w]) {
                add(state.reserved[w], hold.amounts(), -1);
            }
        }
        return current;
    }

    private static long[] amounts(long requests, UsageAmount amount) {
        return new long[] {requests, amount.tokens(), amount.audioSeconds()};
    }

    private static void add(long[] into, long[] amounts, int sign) {
        for (int i = 0; i < into.length; i++) {
            into[i] += sign * amounts[i];
        }
    }

    private static String key(String provider, String account) {
        return provider + '\n' + account;
    }
}
