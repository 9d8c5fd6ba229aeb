package io.tiergate.router.translation;

import io.vertx.core.buffer.Buffer;
import java.util.OptionalLong;

/**
 * Reads a provider's event stream as it passes to the caller: rewrites it into the caller's format where the provider
 * speaks another, and keeps the token usage the stream reports, so quota is settled with it at the end.
 */
public interface StreamReader {

    /** {@code chunk} in the caller's format: the same buffer when the stream already is. */
    Buffer next(Buffer chunk);

    /** Tokens (prompt and completion) the stream has reported so far, if it has. */
    OptionalLong reportedTokens();
}
