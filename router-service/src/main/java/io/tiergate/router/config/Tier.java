package io.tiergate.router.config;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;
import java.util.Optional;

/** Complexity tiers, cheapest first: a request may be served by its own tier or any tier above it. */
public enum Tier {
    SIMPLE, MEDIUM, COMPLEX;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public Optional<Tier> next() {
        return ordinal() + 1 < values().length ? Optional.of(values()[ordinal() + 1]) : Optional.empty();
    }

    public static Optional<Tier> fromWireName(String name) {
        for (Tier tier : values()) {
            if (tier.wireName().equalsIgnoreCase(name.trim())) {
                return Optional.of(tier);
            }
        }
        return Optional.empty();
    }
}
