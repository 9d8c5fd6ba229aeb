package io.tiergate.router.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import jakarta.validation.constraints.Min;

/** The run-time switches an operator may change on a provider; absent fields stay as they are. */
@JsonIgnoreProperties(ignoreUnknown = false)
public record ProviderPatch(Boolean enabled, @Min(0) Integer priority) {}
