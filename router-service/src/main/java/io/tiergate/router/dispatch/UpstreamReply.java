package io.tiergate.router.dispatch;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;

/**
 * A backend's answer: either read whole ({@code body}) or, for a successful stream, the paused live
 * response ({@code stream}) that the caller pipes on to its client.
 */
public record UpstreamReply(int status, MultiMap headers, Buffer body, HttpClientResponse stream) {

    public static UpstreamReply complete(int status, MultiMap headers, Buffer body) {
        return new UpstreamReply(status, headers, body, null);
    }

    public static UpstreamReply streaming(HttpClientResponse response) {
        return new UpstreamReply(response.statusCode(), response.headers(), null, response);
    }

    public boolean isStream() {
        return stream != null;
    }
}
