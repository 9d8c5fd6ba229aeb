package io.tiergate.router.dispatch;

import io.tiergate.audio.form.AudioForm;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;
import java.util.List;

/**
 * A request body as the router took it in and sends it, any number of times, one attempt after another: held in memory
 * (small JSON bodies), a file (a recording sent raw), or put together from pieces of both (a form rebuilt around a
 * recording on disk), so a large body never sits in the heap and a retry or fallback replays it from disk. An upload's
 * form, decoded as it arrived, is taken in as a {@link Form} and sent as the pieces its translator rebuilds from it.
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

    /** A body on disk; its owner deletes the file once the request has ended. */
    record Spooled(Path file, long size, String contentType) implements RequestBody {}

    /**
     * An upload's form as it was decoded on arrival, {@code size} bytes as sent; its uploads are deleted once the
     * response has ended.
     */
    record Form(AudioForm form, long size) implements RequestBody {
        @Override
        public String contentType() {
            return "multipart/form-data";
        }
    }

    /** A body sent as its pieces one after another; a piece on disk is read from its file anew for every attempt. */
    record Pieces(List<Piece> pieces, String contentType) implements RequestBody {

        public Pieces {
            pieces = List.copyOf(pieces);
        }

        @Override
        public long size() {
            return pieces.stream().mapToLong(Piece::size).sum();
        }
    }

    /** Part of a body: bytes in memory, or a whole file. */
    sealed interface Piece {

        long size();

        record InMemory(Buffer bytes) implements Piece {
            @Override
            public long size() {
                return bytes.length();
            }
        }

        /** The whole of {@code file}, {@code size} bytes long; its owner deletes it once the request has ended. */
        record OnDisk(Path file, long size) implements Piece {}
    }
}
