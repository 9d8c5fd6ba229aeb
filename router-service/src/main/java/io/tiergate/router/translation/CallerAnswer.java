package io.tiergate.router.translation;

import io.vertx.core.buffer.Buffer;

/** A provider's successful answer as the caller gets it: its media type and body. */
public record CallerAnswer(String contentType, Buffer body) {}
