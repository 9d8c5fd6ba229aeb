package io.tiergate.quota;

/**
 * Quota held on one account for one call. The id is opaque and names its provider and account, so a service
 * that only receives the id (see {@link ReservationId}) can find the account again.
 */
public record Reservation(String id, AccountQuota account) {}
