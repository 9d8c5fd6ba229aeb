package io.tiergate.router.config;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How a tier orders its eligible backends. */
public enum Strategy {
    /** Configured priority, lower first. */
    PRIORITY,
    /** Cheapest estimated cost of this request first. */
    COST,
    /** Fewest requests served first. */
    LEAST_USED,
    /** Fastest observed median latency first; backends never measured come after measured ones. */
    LATENCY;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
