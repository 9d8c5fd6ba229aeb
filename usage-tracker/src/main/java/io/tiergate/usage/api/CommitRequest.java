package io.tiergate.usage.api;

/** What the call actually used, read from the provider's answer (default 0). */
public record CommitRequest(Long tokens, Long audioSeconds) {}
