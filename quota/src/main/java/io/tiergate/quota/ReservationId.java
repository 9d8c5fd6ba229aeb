package io.tiergate.quota;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The parts of an opaque reservation id: provider, account and a nonce unique within the account. Ids are
 * URL-safe (base64url) so they can travel in a path.
 */
public record ReservationId(String provider, String account, String nonce) {

    private static final String LOCAL_PREFIX = "m";
    private static final String REDIS_PREFIX = "r";
    private static final String DRAWN_PREFIX = "a";
    private static final String BATCH_PREFIX = "b";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    /** A fresh nonce; {@code local} marks a reservation held in memory because Redis was unreachable. */
    static String newNonce(boolean local) {
        return randomNonce(local ? LOCAL_PREFIX : REDIS_PREFIX);
    }

    /** A fresh nonce for one call handed out from an allotment (see {@link Allotments}). */
    static String newDrawNonce() {
        return randomNonce(DRAWN_PREFIX);
    }

    /** A fresh id for a batch of usage counted in memory, which Redis adds once (see {@link MemoryQuotaStore}). */
    static String newBatchNonce() {
        return randomNonce(BATCH_PREFIX);
    }

    private static String randomNonce(String prefix) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return prefix + Long.toHexString(random.nextLong()) + Long.toHexString(random.nextInt());
    }

    /** Held in one process's memory while Redis was unreachable, not in Redis. */
    public boolean local() {
        return nonce.startsWith(LOCAL_PREFIX);
    }

    /** Handed out from an allotment of the process that made it, not held in Redis on its own. */
    public boolean drawn() {
        return nonce.startsWith(DRAWN_PREFIX);
    }

    public String encode() {
        return ENCODER.encodeToString((provider + '\n' + account + '\n' + nonce).getBytes(StandardCharsets.UTF_8));
    }

    /** @throws IllegalArgumentException when {@code id} was not made by {@link #encode()} */
    public static ReservationId parse(String id) {
        String[] parts;
        try {
            parts = new String(DECODER.decode(id), StandardCharsets.UTF_8).split("\n", -1);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a reservation id: " + id);
        }
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].length() < 2) {
            throw new IllegalArgumentException("not a reservation id: " + id);
        }
        return new ReservationId(parts[0], parts[1], parts[2]);
    }
}
