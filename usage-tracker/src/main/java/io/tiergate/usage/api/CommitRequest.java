package io.tiergate.usage.api;

/**
 * What the call actually used, read from the provider's answer. An amount left out counts what the reservation held of
 * it (its estimate): a caller that cannot tell is never taken to have used none.
 */
public record CommitRequest(Long tokens, Long audioSeconds) {}
