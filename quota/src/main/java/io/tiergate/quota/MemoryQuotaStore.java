package io.tiergate.quota;

import io.tiergate.quota.ReservationResult.ExhaustedWindow;
import io.tiergate.quota.ReservationResult.Granted;
import io.tiergate.quota.UsageReport.AccountUsage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * This process's own ledger for providers that fail open while Redis is unreachable: the same rules as quota.lua,
 * on counts that start from zero, kept until they have been added to Redis.
 */
final class MemoryQuotaStore {

    private static final int M = 0;
    private static final int D = 1;

    /**
     * A batch of usage committed here, to be added to Redis. It is sent as it is until Redis confirms it, and Redis
     * adds a batch once however often it arrives (a send that timed out may still have been applied).
     */
    record Unflushed(String provider, String account, QuotaWindow window, long windowStart, String batch, long[] amounts) {}

    private record Hold(long[] starts, long[] amounts, long expiresAt) {}

    private static final class AccountState {
        final long[] starts = {-1, -1};
        final long[][] used = new long[2][3];
        final long[][] reserved = new long[2][3];
        long cooldownUntil;
        final Map<String, Hold> holds = new HashMap<>();
    }

    private record FlushKey(String provider, String account, QuotaWindow window, long windowStart) {}

    private final Map<String, AccountState> accounts = new HashMap<>();
    /** Usage committed here and not in a batch yet. */
    private final Map<FlushKey, long[]> unflushed = new LinkedHashMap<>();
    /** Batches taken for Redis and not yet confirmed, at most one per window. */
    private final Map<FlushKey, Unflushed> batches = new LinkedHashMap<>();

    synchronized ReservationResult reserve(
            String provider, List<AccountQuota> eligible, UsageAmount estimate, Instant now, Instant expiresAt, String nonce) {
        Windows windows = Windows.at(now, eligible.get(0).reset());
        long[] need = amounts(1, estimate);
        AccountQuota best = null;
        AccountState bestState = null;
        double bestRoom = -1;
        Refusals refusals = new Refusals(provider);
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
                    long left = QuotaRule.headroomAfter(limit.getAsLong(), state.used[w][u], state.reserved[w][u], need[u]);
                    if (left < 0) {
                        exhausted.add(new ExhaustedWindow(account.account(), unit, window, Instant.ofEpochMilli(windows.end(window))));
                    } else if (limit.getAsLong() > 0) {
                        room = Math.min(room, (double) left / limit.getAsLong());
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
        for (int w = M; w <= D; w++) {
            add(bestState.reserved[w], need, 1);
        }
        bestState.holds.put(nonce, new Hold(bestState.starts.clone(), need, expiresAt.toEpochMilli()));
        return new Granted(new Reservation(new ReservationId(provider, best.account(), nonce).encode(), best), expiresAt);
    }

    /** @return whether the reservation was still held */
    synchronized boolean commit(AccountQuota account, String nonce, UsageAmount actual, Instant now) {
        Windows windows = Windows.at(now, account.reset());
        AccountState state = current(account, windows, now);
        boolean[] stillCurrent = unhold(state, nonce);
        for (QuotaWindow window : Codes.WINDOWS) {
            int w = window.ordinal();
            long[] counted = amounts(stillCurrent == null || stillCurrent[w] ? 1 : 0, actual);
            add(state.used[w], counted, 1);
            long[] pending = unflushed.computeIfAbsent(
                    new FlushKey(account.provider(), account.account(), window, state.starts[w]), k -> new long[3]);
            add(pending, counted, 1);
        }
        return stillCurrent != null;
    }

    /** @return whether the reservation was still held */
    synchronized boolean release(AccountQuota account, String nonce, Instant now) {
        AccountState state = current(account, Windows.at(now, account.reset()), now);
        return unhold(state, nonce) != null;
    }

    synchronized Instant cooldown(String provider, String account, Instant until) {
        AccountState state = accounts.computeIfAbsent(key(provider, account), k -> new AccountState());
        state.cooldownUntil = Math.max(state.cooldownUntil, until.toEpochMilli());
        return Instant.ofEpochMilli(state.cooldownUntil);
    }

    synchronized List<AccountUsage> report(List<AccountQuota> eligible, Instant now) {
        List<AccountUsage> report = new ArrayList<>();
        for (AccountQuota account : eligible) {
            Windows windows = Windows.at(now, account.reset());
            AccountState state = current(account, windows, now);
            long[] counts = new long[12];
            int c = 0;
            for (QuotaUnit unit : Codes.UNITS) {
                for (QuotaWindow window : Codes.WINDOWS) {
                    counts[c++] = state.used[window.ordinal()][unit.ordinal()];
                    counts[c++] = state.reserved[window.ordinal()][unit.ordinal()];
                }
            }
            report.add(Refusals.usage(account, state.cooldownUntil, counts, windows, now));
        }
        return report;
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
        batches.remove(new FlushKey(flushed.provider(), flushed.account(), flushed.window(), flushed.windowStart()), flushed);
    }

    /** The account's state with expired holds refunded and windows rolled over to those holding {@code now}. */
    private AccountState current(AccountQuota account, Windows windows, Instant now) {
        AccountState state = accounts.computeIfAbsent(key(account.provider(), account.account()), k -> new AccountState());
        for (Iterator<Map.Entry<String, Hold>> it = state.holds.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Hold> hold = it.next();
            if (hold.getValue().expiresAt() <= now.toEpochMilli()) {
                refund(state, hold.getValue());
                it.remove();
            }
        }
        for (QuotaWindow window : Codes.WINDOWS) {
            int w = window.ordinal();
            if (state.starts[w] < windows.start(window)) {
                state.starts[w] = windows.start(window);
                state.used[w] = new long[3];
                state.reserved[w] = new long[3];
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
        boolean[] current = new boolean[2];
        for (int w = M; w <= D; w++) {
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
