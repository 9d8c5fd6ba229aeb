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

    static RequestBody of(Buffer bytes) {
        return new InMemory(bytes);
    }

    record InMemory(Buffer bytes) implements RequestBody {
        @Override
        public long size() {
            return bytes.length();
        }
    }

    /** A body on disk; whoever spooled it deletes the file once the request has ended. */
    record Spooled(Path file, long size) implements RequestBody {}
}
