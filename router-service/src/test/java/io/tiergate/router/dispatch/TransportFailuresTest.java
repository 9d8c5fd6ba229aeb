package io.tiergate.router.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.impl.NoStackTraceTimeoutException;
import java.net.ConnectException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What a failed connection means for quota: a call that never reached the provider (connection refused or not
 * accepted in time) is released; only one that went out and got no answer is kept at its estimate. Vert.x reports
 * both timeouts alike, so what tells them apart is whether the call got its connection.
 */
class TransportFailuresTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    @Test
    void noConnectionWithinTheTimeoutNeverReachedTheProvider() {
        UpstreamFailure failure = UpstreamClient.transportFailure(new NoStackTraceTimeoutException(
                "The timeout of 2000 ms has been exceeded when getting a connection to 127.0.0.1:9"), TIMEOUT, false);
        assertThat(failure.kind()).isEqualTo(UpstreamFailure.Kind.CONNECT);
        assertThat(failure.getMessage()).isEqualTo("cannot connect within 2000 ms");
    }

    @Test
    void aRefusedConnectionNeverReachedTheProvider() {
        assertThat(UpstreamClient.transportFailure(new ConnectException("Connection refused"), TIMEOUT, false).kind())
                .isEqualTo(UpstreamFailure.Kind.CONNECT);
    }

    @Test
    void silenceAfterTheCallWentOutIsATimeout() {
        UpstreamFailure failure = UpstreamClient.transportFailure(new NoStackTraceTimeoutException(
                "The timeout period of 2000ms has been exceeded while executing POST /v1/chat/completions"), TIMEOUT, true);
        assertThat(failure.kind()).isEqualTo(UpstreamFailure.Kind.TIMEOUT);
        assertThat(failure.getMessage()).isEqualTo("no answer within 2000 ms");
    }
}
