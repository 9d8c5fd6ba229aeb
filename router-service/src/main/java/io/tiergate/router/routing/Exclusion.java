package io.tiergate.router.routing;

/** A backend left out of a plan, and why. */
public record Exclusion(String provider, String account, String reason) {}
