package io.tiergate.router.translation;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Splits a server-sent event stream, arriving in chunks cut anywhere (even inside a UTF-8 character), into the data
 * of each whole event. Events end at a blank line; {@code \n} and {@code \r\n} line ends are both accepted.
 */
public final class ServerSentEvents {

    private Buffer pending = Buffer.buffer();

    /** Hands {@code onData} the data of every event that {@code chunk} completes, in order; events without data are skipped. */
    public void feed(Buffer chunk, Consumer<String> onData) {
        pending.appendBuffer(chunk);
        int start = 0;
        for (int i = 0; i < pending.length(); i++) {
            if (pending.getByte(i) == '\n' && endsBlankLine(i, start)) {
                data(pending.getString(start, i, StandardCharsets.UTF_8.name()), onData);
                start = i + 1;
            }
        }
        if (start > 0) {
            pending = pending.getBuffer(start, pending.length());
        }
    }

    /** Whether the line ending at {@code newline} is empty, i.e. the byte before it (after an optional CR) is a newline too. */
    private boolean endsBlankLine(int newline, int start) {
        int before = newline - 1;
        if (before >= start && pending.getByte(before) == '\r') {
            before--;
        }
        return before >= start && pending.getByte(before) == '\n';
    }

    private static void data(String event, Consumer<String> onData) {
        StringBuilder data = null;
        for (String line : event.split("\r?\n")) {
            if (line.startsWith("data:")) {
                String value = line.startsWith("data: ") ? line.substring(6) : line.substring(5);
                data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            }
        }
        if (data != null) {
            onData.accept(data.toString());
        }
    }
}
