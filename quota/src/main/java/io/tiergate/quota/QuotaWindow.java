package io.tiergate.quota;

/** How long a limit lasts: a clock minute, a clock hour, or a day ending at the provider's reset time. */
public enum QuotaWindow {
    MINUTE,
    HOUR,
    DAY
}
