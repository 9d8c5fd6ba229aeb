package io.tiergate.router.dispatch;

import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;

/**
 * A request body the router can send any number of times, one attempt after another: held in memory (small JSON
 * bodies), or spooled to a file as it arrived (uploads), so a large body never sits in the heap and a retry or fallback
 * replays it from the file.
 */
public sealed interface RequestBody {

    /** Bytes, for the Content-Length of each attempt. */
    long size();

    /** The media type it was sent with, multipart boundary included. */
    String contentType();

    /** A JSON body in memory. */
    static RequestBody of(Buffer json) {
        return new InMemory(json, "application/json");
    }

    record InMemory(Buffer bytes, String contentType) implements RequestBody {
        @Override
        public long size() {
            return bytes.length();
        }
    }

    /** A body on disk; whoever spooled it deletes the file once the request has ended. */
    record Spooled(Path file, long size, String contentType) implements RequestBody {}
}
