package io.tiergate.router.dispatch;

import io.tiergate.router.routing.RoutePlan;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Reads a {@code Retry-After} header, which is either delta-seconds or an HTTP date. */
public final class RetryAfter {

    private RetryAfter() {}

    public static Optional<Duration> parse(String header) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.trim();
        try {
            return Optional.of(Duration.ofMillis(Math.max(0, (long) (Double.parseDouble(value) * 1000))));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration wait = Duration.between(ZonedDateTime.now(at.getZone()), at);
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (DateTimeParseException notDate) {
                return Optional.empty();
            }
        }
    }

    /**
     * When a caller whom nothing could serve should come back: what backends said, else when the first open breaker
     * lets a probe through, else a tenth of the breaker's open time (soon enough to notice recovery, late enough not
     * to hammer).
     */
    public static Duration whenNothingServed(NoBackendAvailableException exhausted, RoutePlan plan, Duration breakerOpenFor) {
        return exhausted.retryAfter()
                .or(() -> plan.earliestReopen().map(until -> Duration.between(Instant.now(), until)))
                .filter(wait -> !wait.isNegative())
                .orElse(breakerOpenFor.dividedBy(10));
    }

    /** Whole seconds for a response header, rounding up so clients never come back too early. */
    public static String headerValue(Duration wait) {
        return Long.toString(Math.max(1, (wait.toMillis() + 999) / 1000));
    }
}
