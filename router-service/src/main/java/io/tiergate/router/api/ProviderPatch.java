package io.tiergate.router.api;

import jakarta.validation.constraints.Min;

/** The run-time switches an operator may change on a provider; absent fields stay as they are. */
public record ProviderPatch(Boolean enabled, @Min(0) Integer priority) {}
