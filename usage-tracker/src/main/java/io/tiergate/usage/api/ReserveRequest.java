package io.tiergate.usage.api;

import java.util.List;

/**
 * Hold quota for one call on the provider account with the most headroom. {@code accounts} narrows the choice
 * (default: all the provider's accounts); {@code tokens} and {@code audioSeconds} are estimates (default 0).
 */
public record ReserveRequest(String provider, List<String> accounts, Long tokens, Long audioSeconds) {}
