package io.tiergate.quota;

import io.smallrye.mutiny.Uni;
import io.tiergate.quota.ReservationResult.ExhaustedWindow;
import io.tiergate.quota.ReservationResult.Granted;
import io.tiergate.quota.UsageReport.AccountUsage;
import io.vertx.mutiny.redis.client.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.OptionalLong;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Turns ledger operations into quota.lua calls and its replies back into results. */
final class RedisQuotaStore {

    private static final String NO_LIMIT = "-1";
    /** quota.lua's AS_HELD: the amount the reservation held. */
    private static final String AS_HELD = "-1";

    private final QuotaScript script;
    private final String keyPrefix;
    private final String settledRetention;
    private final Map<String, QuotaKeys> keys = new ConcurrentHashMap<>();

    /**
     * @param settledRetention how long Redis remembers a settled nonce, so that a command it already ran does
     *     nothing when it arrives again (a replay of a settlement kept while Redis did not answer, or a reservation
     *     run after its caller gave up)
     */
    RedisQuotaStore(QuotaScript script, String keyPrefix, Duration settledRetention) {
        this.script = script;
        this.keyPrefix = keyPrefix;
        this.settledRetention = Long.toString(settledRetention.toMillis());
    }

    /** A reservation's outcome and, when granted, how many calls of the estimate its hold covers. */
    record Held(ReservationResult result, int calls) {}

    /**
     * Reserves one call of {@code estimate}, or a block of up to {@code block.maxCalls()} of them; when no account has
     * room for the estimate, one call of as many tokens as are left, if that is at least {@code fewestTokens}; nothing
     * when {@code nonce} was voided (see {@link #voidReservation}).
     */
    Uni<Held> reserve(String provider, List<AccountQuota> eligible, UsageAmount estimate, long fewestTokens, Instant now,
            Instant expiresAt, String nonce, QuotaSettings.AllotmentSettings block) {
        Windows windows = Windows.at(now, eligible.get(0).reset());
        List<String> keyList = new ArrayList<>(eligible.size() * 3);
        List<String> args = new ArrayList<>(16 + eligible.size() * Codes.UNITS.length * Codes.WINDOWS.length);
        args.add("reserve");
        args.add(Long.toString(now.toEpochMilli()));
        for (QuotaWindow window : Codes.WINDOWS) {
            args.add(Long.toString(windows.start(window)));
            args.add(Long.toString(windows.end(window)));
        }
        args.add(Long.toString(expiresAt.toEpochMilli()));
        args.add(nonce);
        args.add(Long.toString(estimate.tokens()));
        args.add(Long.toString(estimate.audioSeconds()));
        args.add(Integer.toString(block.maxCalls()));
        args.add(Double.toString(block.share()));
        args.add(Long.toString(fewestTokens));
        args.add(settledRetention);
        for (AccountQuota account : eligible) {
            addKeys(keyList, account.provider(), account.account());
            for (QuotaUnit unit : Codes.UNITS) {
                for (QuotaWindow window : Codes.WINDOWS) {
                    var limit = account.limit(unit, window);
                    args.add(limit.isPresent() ? Long.toString(limit.getAsLong()) : NO_LIMIT);
                }
            }
        }
        keyList.add(QuotaKeys.settled(keyPrefix, provider));
        return script.run(keyList, args).map(reply -> {
            if (reply.get(0).toInteger() == 1) {
                AccountQuota account = eligible.get(reply.get(1).toInteger() - 1);
                String id = new ReservationId(provider, account.account(), nonce).encode();
                UsageAmount held = new UsageAmount(reply.get(3).toLong(), estimate.audioSeconds());
                return new Held(new Granted(Reservation.granted(id, account), expiresAt, held), reply.get(2).toInteger());
            }
            Refusals refusals = new Refusals(provider, now);
            for (Response refusal : reply.get(1)) {
                String account = eligible.get(refusal.get(0).toInteger() - 1).account();
                long cooldownUntil = refusal.get(1).toLong();
                if (cooldownUntil > 0) {
                    refusals.cooldown(account, Instant.ofEpochMilli(cooldownUntil));
                    continue;
                }
                List<ExhaustedWindow> exhausted = new ArrayList<>();
                for (int i = 2; i < refusal.size(); i += 4) {
                    exhausted.add(new ExhaustedWindow(account, Codes.unit(refusal.get(i).toString()),
                            Codes.window(refusal.get(i + 1).toString()), Instant.ofEpochMilli(refusal.get(i + 2).toLong()),
                            refusal.get(i + 3).toInteger() == 1));
                }
                refusals.exhausted(exhausted);
            }
            return new Held(refusals.result(), 0);
        });
    }

    /**
     * Replaces the hold with {@code calls} calls that used {@code tokens} and {@code audioSeconds} in all; a
     * reservation settled before counts nothing again, and one Redis does not know counts nothing unless
     * {@code ours}: this process made it, so it was granted even if Redis has lost it since (a restart).
     */
    Uni<Settlement> commit(ReservationId id, long calls, long tokens, long audioSeconds, Windows windows, boolean ours) {
        return commit(id, calls, Long.toString(tokens), Long.toString(audioSeconds), windows, ours);
    }

    /** A single call's commit; a unit left empty counts what the reservation held of it. */
    Uni<Settlement> commit(ReservationId id, ActualUsage actual, Windows windows, boolean ours) {
        return commit(id, 1, held(actual.tokens()), held(actual.audioSeconds()), windows, ours);
    }

    private static String held(OptionalLong amount) {
        return amount.isPresent() ? Long.toString(amount.getAsLong()) : AS_HELD;
    }

    private Uni<Settlement> commit(ReservationId id, long calls, String tokens, String audioSeconds, Windows windows, boolean ours) {
        return script.run(settlementKeys(id), List.of("commit", id.nonce(), tokens, audioSeconds,
                        Long.toString(windows.minuteStart()), Long.toString(windows.hourStart()), Long.toString(windows.dayStart()),
                        Long.toString(calls), settledRetention, ours ? "1" : "0"))
                .map(RedisQuotaStore::settlement);
    }

    Uni<Settlement> release(ReservationId id) {
        return script.run(settlementKeys(id), List.of("release", id.nonce(), settledRetention)).map(RedisQuotaStore::settlement);
    }

    /** Reads the script's answer to a commit or release: 1 held, 0 expired, 2 settled before, 3 unknown. */
    private static Settlement settlement(Response reply) {
        return switch (reply.toInteger()) {
            case 1 -> Settlement.SETTLED;
            case 3 -> Settlement.UNKNOWN;
            default -> Settlement.EXPIRED;
        };
    }

    /**
     * Voids a reservation whose caller gave up waiting for Redis, though Redis may have run it or run it yet:
     * refunds whatever it holds on any of {@code eligible}, and makes it hold nothing should it run later.
     */
    Uni<Void> voidReservation(String provider, List<AccountQuota> eligible, String nonce) {
        List<String> keyList = new ArrayList<>(eligible.size() * 3 + 1);
        eligible.forEach(account -> addKeys(keyList, provider, account.account()));
        keyList.add(QuotaKeys.settled(keyPrefix, provider));
        return script.run(keyList, List.of("void", nonce, settledRetention)).replaceWithVoid();
    }

    /**
     * Also tells every replica listening on {@link QuotaKeys#cooldownChannel} (see {@link RedisChannelFeed}).
     *
     * @return the cooldown in force afterwards: the later of {@code until} and any earlier one
     */
    Uni<Instant> cooldown(String provider, String account, Instant until) {
        return script.run(List.of(keys(provider, account).usage()), List.of("cooldown", Long.toString(until.toEpochMilli()),
                        QuotaKeys.cooldownChannel(keyPrefix), provider + '\n' + account))
                .map(reply -> Instant.ofEpochMilli(reply.toLong()));
    }

    /**
     * Adds {@code batch}, usage counted elsewhere, to the window starting at {@code windowStart}, unless that window
     * is over or the batch was added before.
     */
    Uni<Void> record(String provider, String account, QuotaWindow window, long windowStart, String batch, long[] amounts) {
        return script.run(List.of(keys(provider, account).usage(), QuotaKeys.settled(keyPrefix, provider)),
                        List.of("record", Codes.of(window), Long.toString(windowStart),
                                Long.toString(amounts[0]), Long.toString(amounts[1]), Long.toString(amounts[2]), batch, settledRetention))
                .replaceWithVoid();
    }

    /**
     * Marks {@code replica} alive and forgets replicas not seen for {@code staleAfter}.
     *
     * @return how many replicas are alive, this one included
     */
    Uni<Integer> heartbeat(String replica, Duration staleAfter) {
        return script.run(List.of(QuotaKeys.replicas(keyPrefix)), List.of("heartbeat", replica, Long.toString(staleAfter.toMillis())))
                .map(Response::toInteger);
    }

    /** One script call per provider: a provider's keys share a cluster slot, different providers need not. */
    Uni<List<AccountUsage>> report(List<AccountQuota> accounts, Instant now) {
        Map<String, List<AccountQuota>> byProvider = new LinkedHashMap<>();
        accounts.forEach(a -> byProvider.computeIfAbsent(a.provider(), p -> new ArrayList<>()).add(a));
        List<Uni<List<AccountUsage>>> calls = byProvider.values().stream().map(group -> reportProvider(group, now)).toList();
        return Uni.join().all(calls).andFailFast().map(parts -> parts.stream().flatMap(List::stream).toList());
    }

    private Uni<List<AccountUsage>> reportProvider(List<AccountQuota> accounts, Instant now) {
        Windows windows = Windows.at(now, accounts.get(0).reset());
        List<String> keyList = new ArrayList<>(accounts.size() * 3);
        accounts.forEach(a -> addKeys(keyList, a.provider(), a.account()));
        List<String> args = List.of("report", Long.toString(now.toEpochMilli()), Long.toString(windows.minuteStart()),
                Long.toString(windows.hourStart()), Long.toString(windows.dayStart()), settledRetention);
        return script.run(keyList, args).map(reply -> {
            List<AccountUsage> usage = new ArrayList<>(accounts.size());
            for (int a = 0; a < accounts.size(); a++) {
                Response row = reply.get(a);
                long[] counts = new long[row.size() - 1];
                for (int i = 0; i < counts.length; i++) {
                    counts[i] = row.get(i + 1).toLong();
                }
                usage.add(Refusals.usage(accounts.get(a), row.get(0).toLong(), counts, windows, now));
            }
            return usage;
        });
    }

    private List<String> settlementKeys(ReservationId id) {
        List<String> keyList = new ArrayList<>(4);
        addKeys(keyList, id.provider(), id.account());
        keyList.add(QuotaKeys.settled(keyPrefix, id.provider()));
        return keyList;
    }

    private void addKeys(List<String> keyList, String provider, String account) {
        QuotaKeys k = keys(provider, account);
        keyList.add(k.usage());
        keyList.add(k.pending());
        keyList.add(k.held());
    }

    private QuotaKeys keys(String provider, String account) {
        return keys.computeIfAbsent(provider + '\n' + account, ignored -> QuotaKeys.of(keyPrefix, provider, account));
    }
}
