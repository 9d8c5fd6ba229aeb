package io.tiergate.usage.api;

import java.time.Instant;

/**
 * Every replica skips the account until {@code until}. {@code cappedAtDayReset} is true when the requested
 * {@code retry_after_seconds} reached past the account's day window, so the cooldown ends at that reset instead: the
 * quota of a new day is the provider's to refuse, and a cooldown can never lock an account away for longer.
 */
public record CooldownView(String provider, String account, Instant until, boolean cappedAtDayReset) {}
