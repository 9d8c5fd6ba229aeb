package io.tiergate.router.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ConnectTimeoutException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * What a failed connection means for quota: a call that never reached the provider (connection refused or not
 * accepted in time) is released; only one that went out and got no answer is kept at its estimate.
 */
class TransportFailuresTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    @Test
    void aConnectTimeoutNeverReachedTheProvider() {
        UpstreamFailure failure = UpstreamClient.transportFailure(new ConnectTimeoutException("connection timed out: /127.0.0.1:9"),
                TIMEOUT);
        assertThat(failure.kind()).isEqualTo(UpstreamFailure.Kind.CONNECT);
        assertThat(failure.getMessage()).contains("cannot connect");
    }

    @Test
    void aRefusedConnectionNeverReachedTheProvider() {
        assertThat(UpstreamClient.transportFailure(new ConnectException("Connection refused"), TIMEOUT).kind())
                .isEqualTo(UpstreamFailure.Kind.CONNECT);
    }

    @Test
    void silenceAfterTheCallWentOutIsATimeout() {
        assertThat(UpstreamClient.transportFailure(new TimeoutException("idle"), TIMEOUT).kind())
                .isEqualTo(UpstreamFailure.Kind.TIMEOUT);
    }
}
