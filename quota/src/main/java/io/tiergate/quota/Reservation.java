package io.tiergate.quota;

/**
 * Quota held on one account for one call. The id is opaque and names its provider and account, so a service
 * that only receives the id (see {@link ReservationId}) can find the account again.
 *
 * @param grantedHere this process's ledger granted it, so its commit counts even once Redis no longer knows it (the
 *     call outlived its hold and the TTL after it, or Redis restarted empty); a reservation {@linkplain #named named}
 *     by an id from elsewhere counts only while Redis knows it, as the id could be made up
 */
public record Reservation(String id, AccountQuota account, boolean grantedHere) {

    /** A reservation granted by this process's ledger. */
    static Reservation granted(String id, AccountQuota account) {
        return new Reservation(id, account, true);
    }

    /** The reservation an id received from another process names. */
    public static Reservation named(String id, AccountQuota account) {
        return new Reservation(id, account, false);
    }
}
