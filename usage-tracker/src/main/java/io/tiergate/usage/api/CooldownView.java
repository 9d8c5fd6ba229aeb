package io.tiergate.usage.api;

import java.time.Instant;

/** Every replica skips the account until {@code until}. */
public record CooldownView(String provider, String account, Instant until) {}
