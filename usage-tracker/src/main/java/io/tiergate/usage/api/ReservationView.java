package io.tiergate.usage.api;

import java.time.Instant;

/** A granted reservation: settle it with commit or release before {@code expiresAt}, or it is refunded then. */
public record ReservationView(String reservationId, String provider, String account, Instant expiresAt) {}
