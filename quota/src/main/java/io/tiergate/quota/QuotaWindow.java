package io.tiergate.quota;

/** How long a limit lasts: a calendar minute, or a day ending at the provider's reset time. */
public enum QuotaWindow {
    MINUTE,
    DAY
}
