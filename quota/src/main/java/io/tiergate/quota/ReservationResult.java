package io.tiergate.quota;

import java.time.Instant;
import java.util.List;

/** The answer to a reservation: an account to use, or why none can be used now. */
public sealed interface ReservationResult {

    String provider();

    /**
     * Quota was held on {@code reservation.account()} until {@code expiresAt}; settle it with commit or release.
     * {@code held} is what one call may use: the estimate, or fewer tokens when the account had less room left.
     */
    record Granted(Reservation reservation, Instant expiresAt, UsageAmount held) implements ReservationResult {
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
     * may become usable again: the latest reset among its exhausted windows (or, for a window only calls in flight
     * fill, a moment from now), or the end of its cooldown.
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

    /**
     * One window of one account that cannot take the estimate; it empties at {@code resetAt}. When
     * {@code heldByCallsInFlight}, its used count alone would leave room: it frees as soon as those calls settle.
     */
    record ExhaustedWindow(String account, QuotaUnit unit, QuotaWindow window, Instant resetAt, boolean heldByCallsInFlight) {}

    /** An account skipped after a provider's 429 until {@code until}. */
    record Cooldown(String account, Instant until) {}
}
