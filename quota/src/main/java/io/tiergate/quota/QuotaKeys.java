package io.tiergate.quota;

/**
 * The Redis key schema, the only place that names quota keys. Every key of a provider carries the provider as
 * its hash tag, so one provider's keys share a Redis Cluster slot and one script can touch all its accounts.
 * <pre>
 *   {prefix}:{provider}:{account}:usage    hash  window starts, used/reserved per unit and window, cooldown end
 *   {prefix}:{provider}:{account}:pending  zset  reservation nonce → expiry (epoch ms)
 *   {prefix}:{provider}:{account}:held     hash  reservation nonce → "minuteStart dayStart tokens audioSeconds"
 *   {prefix}:{provider}:settled            zset  settled or voided nonce → when Redis may forget it (Redis ms)
 * </pre>
 * Cooldowns are published on the channel {@code {prefix}:cooldowns} as {@code provider\naccount\nendEpochMillis};
 * {@code {prefix}:replicas} (zset replica id → last heartbeat, Redis ms) counts the ledgers alive.
 */
public record QuotaKeys(String usage, String pending, String held) {

    static QuotaKeys of(String prefix, String provider, String account) {
        String base = prefix + ":{" + provider + "}:" + account + ":";
        return new QuotaKeys(base + "usage", base + "pending", base + "held");
    }

    static String settled(String prefix, String provider) {
        return prefix + ":{" + provider + "}:settled";
    }

    static String replicas(String prefix) {
        return prefix + ":replicas";
    }

    static String cooldownChannel(String prefix) {
        return prefix + ":cooldowns";
    }

    static void requireName(String what, String name) {
        if (name == null || name.isBlank() || name.chars().anyMatch(c -> c == '{' || c == '}' || c == '\n')) {
            throw new IllegalArgumentException("invalid " + what + " name: '" + name + "' (must be non-blank, without braces or newlines)");
        }
    }
}
