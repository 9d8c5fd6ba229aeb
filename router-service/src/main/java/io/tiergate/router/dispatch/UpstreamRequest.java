package io.tiergate.router.dispatch;

import io.vertx.core.MultiMap;
import java.time.Duration;

/** An HTTP POST to a backend, already in that backend's wire format. */
public record UpstreamRequest(String url, MultiMap headers, RequestBody body, boolean streaming, Duration timeout) {}
