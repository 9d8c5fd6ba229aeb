package io.tiergate.router.dispatch;

import io.tiergate.router.routing.RoutePlan;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads a {@code Retry-After} header, which is either delta-seconds or an HTTP date. */
public final class RetryAfter {

    private static final Pattern SECONDS = Pattern.compile("[0-9]{1,10}(\\.[0-9]{1,9})?");

    private RetryAfter() {}

    public static Optional<Duration> parse(String header) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.trim();
        // Digits, as RFC 9110 has them (and a fraction, which some providers send): Double.parseDouble alone would take
        // "Infinity", "NaN" or "0x1p4" from a provider and rest its account for ever or not at all.
        if (SECONDS.matcher(value).matches()) {
            return Optional.of(Duration.ofMillis((long) (Double.parseDouble(value) * 1000)));
        }
        try {
            ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration wait = Duration.between(ZonedDateTime.now(at.getZone()), at);
            return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
        } catch (DateTimeParseException notDate) {
            return Optional.empty();
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
