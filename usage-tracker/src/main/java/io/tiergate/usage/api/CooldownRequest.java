package io.tiergate.usage.api;

/** A provider answered 429 for this account; {@code retryAfterSeconds} is its Retry-After, if it sent one. */
public record CooldownRequest(String provider, String account, Long retryAfterSeconds) {}
