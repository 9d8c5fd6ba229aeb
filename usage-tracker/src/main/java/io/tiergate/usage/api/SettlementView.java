package io.tiergate.usage.api;

/**
 * {@code settlement}: {@code settled}, {@code expired} (the hold had already been refunded; a commit still counts
 * the usage) or {@code deferred} (Redis unreachable; applied when it returns).
 */
public record SettlementView(String reservationId, String settlement) {}
