package io.tiergate.usage.api;

import io.tiergate.common.problem.Problem;
import io.tiergate.common.problem.ProblemException;
import io.tiergate.quota.AccountQuota;
import io.tiergate.quota.Reservation;
import io.tiergate.quota.ReservationId;
import io.tiergate.quota.UsageAmount;
import io.tiergate.usage.config.QuotaCatalog;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;

/** Checks request fields against the catalog; every failure is a 4xx problem naming the field. */
@Singleton
class Inputs {

    private final QuotaCatalog catalog;

    Inputs(QuotaCatalog catalog) {
        this.catalog = catalog;
    }

    static <T> T body(T body) {
        if (body == null) {
            throw ProblemException.badField(null, "A JSON request body is required.");
        }
        return body;
    }

    static long amount(Long value, String field) {
        if (value == null) {
            return 0;
        }
        if (value < 0 || value > UsageAmount.MAX) {
            throw ProblemException.badField(field, "Field '" + field + "' must be between 0 and " + UsageAmount.MAX + ", got " + value + ".");
        }
        return value;
    }

    List<AccountQuota> provider(String provider, String field) {
        if (provider == null || provider.isBlank()) {
            throw ProblemException.badField(field, "Field '" + field + "' is required.");
        }
        return catalog.accounts(provider).orElseThrow(() -> ProblemException.badField(field,
                "Unknown provider '" + provider + "' in field '" + field + "'; quota-limited providers: " + catalog.providers() + "."));
    }

    AccountQuota account(String provider, String account, String field) {
        List<AccountQuota> accounts = provider(provider, "provider");
        if (account == null || account.isBlank()) {
            throw ProblemException.badField(field, "Field '" + field + "' is required.");
        }
        return accounts.stream().filter(a -> a.account().equals(account)).findFirst().orElseThrow(() -> ProblemException.badField(field,
                "Unknown account '" + account + "' of provider '" + provider + "' in field '" + field + "'; its accounts: "
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
                    .map(account -> new Reservation(id, account))
                    .orElseThrow(() -> unknownReservation(id));
        } catch (IllegalArgumentException e) {
            throw unknownReservation(id);
        }
    }

    private static ProblemException unknownReservation(String id) {
        return new ProblemException(new Problem("https://tiergate.io/problems/unknown-reservation", "Unknown reservation", 404,
                "No reservation has the id '" + id + "'.", "id", null));
    }
}
