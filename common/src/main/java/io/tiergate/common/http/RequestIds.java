package io.tiergate.common.http;

import io.vertx.ext.web.RoutingContext;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The id of one request: the same in its {@code X-Request-Id} response header and in every log line written while
 * serving it (MDC key {@code request_id}), so a caller's report and the logs of every service it passed through
 * can be joined. {@link RequestIdRoute} assigns it before any other handler runs.
 */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "request_id";
    static final String CONTEXT_KEY = "tiergate.request-id";
    static final int MAX_LENGTH = 128;
    private static final HexFormat HEX = HexFormat.of();

    private RequestIds() {}

    /** The id of the request {@code ctx} serves: the one its response header carries and its log lines show. */
    public static String of(RoutingContext ctx) {
        return ctx.get(CONTEXT_KEY);
    }

    /**
     * The caller's id when it is 1 to 128 printable ASCII characters without spaces (safe to echo in a header and
     * to write in a log line), else a new one.
     */
    static String fromCaller(String given) {
        return acceptable(given) ? given : generate();
    }

    static boolean acceptable(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c <= ' ' || c > '~') {
                return false;
            }
        }
        return true;
    }

    /** 32 lowercase hex characters from 16 random bytes: always the same length, unique in practice. */
    static String generate() {
        byte[] bytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HEX.formatHex(bytes);
    }
}
