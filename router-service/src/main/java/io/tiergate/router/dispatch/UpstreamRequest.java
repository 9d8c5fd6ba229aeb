package io.tiergate.router.dispatch;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.time.Duration;

/** An HTTP POST to a backend, already in that backend's wire format. */
public record UpstreamRequest(String url, MultiMap headers, Buffer body, boolean streaming, Duration timeout) {}
