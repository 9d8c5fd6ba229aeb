package io.tiergate.router.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A body sent in pieces (a form rebuilt around a recording on disk) gets its answer however early the backend gives it:
 * here before the backend has read the upload at all, as a proxy's 413 does. The same race, narrower, is a backend
 * answering the moment the last byte is in while the router is still closing the recording's file. The call goes out
 * several times: an answer the router did not listen for in time would leave it waiting for its timeout. A call
 * nobody waits for any more is stopped, closing its connection, as a backend hanging up fails it.
 */
@QuarkusTest
class PiecesUploadTest {

    private static final int CALLS = 4;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** Many times what a connection takes before the router must wait for it to drain. */
    private static final int RECORDING_BYTES = 8 << 20;

    @Inject
    UpstreamClient client;

    @Inject
    Vertx vertx;

    @TempDir
    static Path dir;

    private HttpServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void anAnswerGivenBeforeTheUploadIsReadReachesTheCaller() throws Exception {
        start(request -> request.response().setStatusCode(413).end("{\"error\":\"too large\"}"));

        Path recording = recording();

        for (int call = 0; call < CALLS; call++) {
            UpstreamReply reply = client.send(request(recording)).await().atMost(TIMEOUT);
            assertThat(reply.status()).isEqualTo(413);
            assertThat(reply.body().toString()).isEqualTo("{\"error\":\"too large\"}");
        }
    }

    @Test
    void aBackendHangingUpMidUploadFailsTheCallAtOnce() throws Exception {
        start(request -> request.connection().close());

        Path recording = recording();

        assertThatThrownBy(() -> client.send(request(recording)).await().atMost(TIMEOUT))
                .isInstanceOfSatisfying(UpstreamFailure.class,
                        failure -> assertThat(failure.kind()).isEqualTo(UpstreamFailure.Kind.CONNECT));
    }

    @Test
    void aCallNobodyWaitsForAnyMoreIsStoppedSoTheBackendStopsWorkingOnIt() throws Exception {
        CompletableFuture<Void> called = new CompletableFuture<>();
        CompletableFuture<Void> hungUp = new CompletableFuture<>();
        // A backend working on the upload, as a pod does until its caller's connection closes.
        start(request -> request.body().onSuccess(body -> {
            request.connection().closeHandler(closed -> hungUp.complete(null));
            called.complete(null);
        }));

        Cancellable call = client.send(request(recording())).subscribe().with(reply -> { }, failure -> { });
        called.get(10, TimeUnit.SECONDS);
        call.cancel();

        hungUp.get(2, TimeUnit.SECONDS);
    }

    private void start(Handler<HttpServerRequest> handler) throws Exception {
        server = vertx.createHttpServer().requestHandler(handler).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private Path recording() throws IOException {
        Path file = dir.resolve("recording.wav");
        if (!Files.exists(file)) {
            byte[] bytes = new byte[RECORDING_BYTES];
            new Random(7).nextBytes(bytes);
            Files.write(file, bytes);
        }
        return file;
    }

    private static RequestBody.Pieces body(Path recording) throws IOException {
        return new RequestBody.Pieces(List.of(
                new RequestBody.Piece.InMemory(Buffer.buffer("--b\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n")),
                new RequestBody.Piece.OnDisk(recording, Files.size(recording)),
                new RequestBody.Piece.InMemory(Buffer.buffer("\r\n--b--\r\n"))), "multipart/form-data; boundary=b");
    }

    private UpstreamRequest request(Path recording) throws IOException {
        return new UpstreamRequest("http://127.0.0.1:" + server.actualPort() + "/v1/audio/transcriptions",
                MultiMap.caseInsensitiveMultiMap(), body(recording), false, TIMEOUT);
    }
}
