package io.tiergate.quota;

import java.util.OptionalLong;

/**
 * What a call used, as its caller settles it: a unit left empty counts what the reservation held of it (the caller's
 * estimate), so a caller that does not report a unit never counts less than it reserved.
 */
public record ActualUsage(OptionalLong tokens, OptionalLong audioSeconds) {

    /** Every unit as measured. */
    public static ActualUsage of(UsageAmount measured) {
        return new ActualUsage(OptionalLong.of(measured.tokens()), OptionalLong.of(measured.audioSeconds()));
    }

    /** The usage to count, with {@code held} for the units left empty. */
    UsageAmount or(UsageAmount held) {
        return new UsageAmount(tokens.orElse(held.tokens()), audioSeconds.orElse(held.audioSeconds()));
    }
}
