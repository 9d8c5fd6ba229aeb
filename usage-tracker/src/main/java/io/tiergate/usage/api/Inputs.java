package io.tiergate.usage.api;

import io.tiergate.common.problem.Problem;
import io.tiergate.common.problem.ProblemException;
import io.tiergate.quota.AccountQuota;
import io.tiergate.quota.ActualUsage;
import io.tiergate.quota.QuotaUnit;
import io.tiergate.quota.QuotaWindow;
import io.tiergate.quota.Reservation;
import io.tiergate.quota.ReservationId;
import io.tiergate.quota.UsageAmount;
import io.tiergate.usage.config.QuotaCatalog;
import io.tiergate.usage.config.TrackerConfig;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

/** Checks request fields against the catalog; every failure is a 4xx problem naming the field. */
@Singleton
class Inputs {

    private final QuotaCatalog catalog;
    private final TrackerConfig config;

    Inputs(QuotaCatalog catalog, TrackerConfig config) {
        this.catalog = catalog;
        this.config = config;
    }

    static <T> T body(T body) {
        if (body == null) {
            throw ProblemException.badField(null, "A JSON request body is required.");
        }
        return body;
    }

    /** What one call used: each amount 0 when not given, and at most the configured per-call maximum. */
    UsageAmount usage(Long tokens, Long audioSeconds) {
        return new UsageAmount(
                amount(tokens, "tokens", config.maxTokensPerCall(), "tiergate.usage.max-tokens-per-call"),
                amount(audioSeconds, "audio_seconds", config.maxAudioSecondsPerCall(), "tiergate.usage.max-audio-seconds-per-call"));
    }

    /** What a call reports it used, checked as {@link #usage}; an amount not given is left to the reservation's own. */
    ActualUsage reported(Long tokens, Long audioSeconds) {
        UsageAmount checked = usage(tokens, audioSeconds);
        return new ActualUsage(tokens == null ? OptionalLong.empty() : OptionalLong.of(checked.tokens()),
                audioSeconds == null ? OptionalLong.empty() : OptionalLong.of(checked.audioSeconds()));
    }

    /**
     * What one call expects to use, as {@link #usage}, and no more than some eligible account could ever hold for one
     * call: an estimate over that would be refused as exhausted at every reset, so it is a bad request instead.
     */
    UsageAmount estimate(String provider, List<AccountQuota> eligible, Long tokens, Long audioSeconds) {
        UsageAmount estimate = usage(tokens, audioSeconds);
        requireFitsOneAccount(provider, eligible, QuotaUnit.TOKENS, estimate.tokens(), "tokens");
        requireFitsOneAccount(provider, eligible, QuotaUnit.AUDIO_SECONDS, estimate.audioSeconds(), "audio_seconds");
        return estimate;
    }

    static long nonNegative(long value, String field) {
        if (value < 0) {
            throw ProblemException.badField(field, "Field '" + field + "' must be 0 or more, got " + value + ".");
        }
        return value;
    }

    private static long amount(Long value, String field, long max, String setting) {
        if (value == null) {
            return 0;
        }
        if (value < 0 || value > max) {
            throw ProblemException.badField(field, "Field '" + field + "' must be between 0 and " + max + " (" + setting + "), got " + value + ".");
        }
        return value;
    }

    private static void requireFitsOneAccount(String provider, List<AccountQuota> eligible, QuotaUnit unit, long amount, String field) {
        long most = eligible.stream().mapToLong(account -> mostOneCallCanHold(account, unit)).max().orElseThrow();
        if (amount > most) {
            throw ProblemException.badField(field, "Field '" + field + "' is " + amount + ", more than one call can ever hold on any eligible account of "
                    + provider + ": at most " + most + " fit within all of an account's " + field + " limits.");
        }
    }

    /** An amount over the smallest of an account's limits for the unit fits none of its windows, even an empty one. */
    private static long mostOneCallCanHold(AccountQuota account, QuotaUnit unit) {
        return Arrays.stream(QuotaWindow.values())
                .map(window -> account.limit(unit, window))
                .filter(OptionalLong::isPresent)
                .mapToLong(OptionalLong::getAsLong)
                .min()
                .orElse(Long.MAX_VALUE);
    }

    List<AccountQuota> provider(String provider, String field) {
        if (provider == null || provider.isBlank()) {
            throw ProblemException.badField(field, "Field '" + field + "' is required.");
        }
        return catalog.accounts(provider).orElseThrow(() -> ProblemException.badField(field,
                "Unknown provider " + Problem.quoted(provider) + " in field '" + field + "'; quota-limited providers: " + catalog.providers() + "."));
    }

    AccountQuota account(String provider, String account, String field) {
        List<AccountQuota> accounts = provider(provider, "provider");
        if (account == null || account.isBlank()) {
            throw ProblemException.badField(field, "Field '" + field + "' is required.");
        }
        return accounts.stream().filter(a -> a.account().equals(account)).findFirst().orElseThrow(() -> ProblemException.badField(field,
                "Unknown account " + Problem.quoted(account) + " of provider '" + provider + "' in field '" + field + "'; its accounts: "
                        + accounts.stream().map(AccountQuota::account).toList() + "."));
    }

    List<AccountQuota> eligible(String provider, List<String> names) {
        List<AccountQuota> accounts = provider(provider, "provider");
        if (names == null) {
            return accounts;
        }
        if (names.isEmpty()) {
            throw ProblemException.badField("accounts", "Field 'accounts' must name at least one account, or be left out for all.");
        }
        List<AccountQuota> eligible = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            AccountQuota account = account(provider, names.get(i), "accounts[" + i + "]");
            if (!eligible.contains(account)) {
                eligible.add(account);
            }
        }
        return eligible;
    }

    /** The reservation an id names; an id that is not ours, or names an account we do not know, is a 404. */
    Reservation reservation(String id) {
        try {
            ReservationId parsed = ReservationId.parse(id);
            return catalog.account(parsed.provider(), parsed.account())
                    .map(account -> Reservation.named(id, account))
                    .orElseThrow(() -> unknownReservation(id));
        } catch (IllegalArgumentException e) {
            throw unknownReservation(id);
        }
    }

    static ProblemException unknownReservation(String id) {
        return new ProblemException(new Problem("https://tiergate.io/problems/unknown-reservation", "Unknown reservation", 404,
                "No reservation has the id " + Problem.quoted(id) + ".", "id", null));
    }
}
