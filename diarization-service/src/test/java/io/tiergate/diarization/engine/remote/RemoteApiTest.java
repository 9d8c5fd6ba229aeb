package io.tiergate.diarization.engine.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiergate.common.problem.ProblemException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RemoteApiTest {

    @Test
    void anApiThatTakesNoConnectionInTimeIsUnreachableNotSlow() throws Exception {
        // A server that never accepts, its backlog filled: a further connection is left waiting for its handshake.
        List<Socket> filling = new ArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            for (int i = 0; i < 8; i++) {
                Socket socket = new Socket();
                try {
                    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), silent.getLocalPort()), 200);
                } catch (java.io.IOException full) {
                    socket.close();
                    break;
                }
                filling.add(socket);
            }
            RemoteApi api = new RemoteApi("the test API", Duration.ofMillis(300), Duration.ofMinutes(25));
            HttpRequest call = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/v1/diarize"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build();

            assertThatThrownBy(() -> api.send("POST /v1/diarize", call, System.nanoTime() + Duration.ofMinutes(1).toNanos()))
                    .isInstanceOfSatisfying(ProblemException.class, e -> {
                        assertThat(e.problem().status()).isEqualTo(502);
                        assertThat(e.problem().detail()).contains("the test API could not be reached (POST /v1/diarize)");
                    });
        } finally {
            for (Socket socket : filling) {
                socket.close();
            }
        }
    }
}
