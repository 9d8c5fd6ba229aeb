package io.tiergate.quota;

import java.time.Instant;
import java.util.List;

/** The answer to a reservation: an account to use, or why none can be used now. */
public sealed interface ReservationResult {

    String provider();

    /** Quota was held on {@code reservation.account()} until {@code expiresAt}; settle it with commit or release. */
    record Granted(Reservation reservation, Instant expiresAt) implements ReservationResult {
        @Override
        public String provider() {
            return reservation.account().provider();
        }

        public String account() {
            return reservation.account().account();
        }
    }

    /**
     * Every eligible account is out of quota or cooling down. {@code retryAt} is the earliest moment one of them
     * becomes usable again: the latest reset among its exhausted windows, or the end of its cooldown.
     */
    record Exhausted(String provider, List<ExhaustedWindow> windows, List<Cooldown> cooldowns, Instant retryAt)
            implements ReservationResult {
        public Exhausted {
            windows = List.copyOf(windows);
            cooldowns = List.copyOf(cooldowns);
        }
    }

    /** Redis cannot be reached and the provider's failure policy is closed. */
    record Unavailable(String provider, String reason) implements ReservationResult {}

    /** One window of one account that cannot take the estimate; it empties at {@code resetAt}. */
    record ExhaustedWindow(String account, QuotaUnit unit, QuotaWindow window, Instant resetAt) {}

    /** An account skipped after a provider's 429 until {@code until}. */
    record Cooldown(String account, Instant until) {}
}
