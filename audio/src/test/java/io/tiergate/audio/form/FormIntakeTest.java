package io.tiergate.audio.form;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.common.http.UploadSpool;
import io.tiergate.common.problem.ProblemException;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pod's form intake over real HTTP: the form as sent, the refusals, and nothing left on disk afterwards. */
class FormIntakeTest {

    private static final long LIMIT = 2 * 1024 * 1024;
    private static final String BOUNDARY = "tiergate";
    private static final String FORM = "multipart/form-data; boundary=" + BOUNDARY;

    @TempDir
    Path spoolDir;
    private Vertx vertx;
    private HttpServer server;
    /** The last failure an answer was made of. */
    private final AtomicReference<Throwable> lastFailure = new AtomicReference<>();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        FormIntake intake = new FormIntake(vertx, new UploadSpool(spoolDir, Long.MAX_VALUE, "the test's limit"), LIMIT,
                Set.of(), Map.of());
        server = vertx.createHttpServer().requestHandler(request -> intake.answer(request, form -> {
            AudioForm.Upload file = form.file();
            try {
                return "file " + file.filename() + " " + Files.size(file.path()) + " model " + form.values("model");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).subscribe().with(answer -> request.response().end(answer), failure -> answerFailure(request, failure)))
                .listen(0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private void answerFailure(HttpServerRequest request, Throwable failure) {
        lastFailure.set(failure);
        request.response()
                .setStatusCode(failure instanceof ProblemException problem ? problem.problem().status() : 500)
                .end(failure instanceof ProblemException problem ? problem.problem().detail() : failure.toString());
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aFormIsReadAndLeavesNothingOnDisk() throws Exception {
        String answer = exchange(request(FORM, form("RIFF".repeat(1000))));

        assertThat(answer).startsWith("HTTP/1.1 200").endsWith("file a.wav 4000 model [whisper-1]");
        assertSpoolEmpty();
    }

    @Test
    void theMediaTypesNameIsReadWhateverItsCase() throws Exception {
        String answer = exchange(request("MULTIPART/FORM-DATA; boundary=" + BOUNDARY, form("RIFF")));

        assertThat(answer).startsWith("HTTP/1.1 200").endsWith("file a.wav 4 model [whisper-1]");
    }

    @Test
    void aChunkedBodyOverTheLimitIs413() throws Exception {
        String body = form("x".repeat((int) LIMIT));

        String answer = exchange(head(FORM) + "Transfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 413").contains("the test's limit");
        assertThat(lastFailure.get()).isInstanceOfSatisfying(ProblemException.class,
                refused -> assertThat(refused.problem().field()).isEqualTo("file"));
        assertSpoolEmpty();
    }

    @Test
    void aSpoolDirectoryGoneIs503AndTheServiceKeepsAnswering() throws Exception {
        Files.delete(spoolDir);
        Files.writeString(spoolDir, "not a directory");

        assertThat(exchange(request(FORM, form("RIFF".repeat(1000))))).startsWith("HTTP/1.1 503")
                .contains("cannot write uploads");

        Files.delete(spoolDir);
        Files.createDirectory(spoolDir);
        assertThat(exchange(request(FORM, form("RIFF")))).startsWith("HTTP/1.1 200").endsWith("file a.wav 4 model [whisper-1]");
    }

    @Test
    void aFormEndingInsideItsFilePartIsMalformed() throws Exception {
        String whole = form("RIFF....WAVE");

        String answer = exchange(request(FORM, whole.substring(0, whole.indexOf("WAVE") + 4)));

        assertThat(answer).startsWith("HTTP/1.1 400").contains("the form ends inside its part 'file'");
        assertSpoolEmpty();
    }

    @Test
    void aChunkedBodyWhoseFramingIsBrokenIsTheCallersMistakeAndLeavesNothingOnDisk() throws Exception {
        // Vert.x closes the connection on such a body, so no answer reaches the caller; the service must not take it for
        // a failure of its own (a 500, logged as an error).
        exchange(head(FORM) + "Transfer-Encoding: chunked\r\n\r\n10\r\n--tiergate\r\nCont\r\n"
                + "zz\r\nnot a chunk size\r\n0\r\n\r\n");

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (lastFailure.get() == null && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(lastFailure.get()).isInstanceOfSatisfying(ProblemException.class, problem -> {
            assertThat(problem.problem().status()).isEqualTo(400);
            assertThat(problem.problem().detail()).contains("could not be read as HTTP", "chunk size");
        });
        assertSpoolEmpty();
    }

    @Test
    void aCallerHangingUpMidUploadLeavesNothingOnDisk() throws Exception {
        try (Socket socket = new Socket("localhost", server.actualPort())) {
            // More than the spool hands the decoder at once, so part of the recording is on disk when the caller goes.
            String body = form("RIFF".repeat(400_000));
            String sent = head(FORM) + "Content-Length: " + body.length() + "\r\n\r\n" + body.substring(0, 1_200_000);
            socket.getOutputStream().write(sent.getBytes(StandardCharsets.ISO_8859_1));
            awaitSpoolFiles(1);
        }
        awaitSpoolFiles(0);
    }

    /** Some of these hang-ups come before the route has asked for the body, when no upload event is listened to yet. */
    @Test
    void callersHangingUpRightAfterTheirHeadersLeaveNothingOnDisk() throws Exception {
        for (int i = 0; i < 50; i++) {
            try (Socket socket = new Socket("localhost", server.actualPort())) {
                socket.setSoLinger(true, 0);
                socket.getOutputStream().write((head(FORM) + "Content-Length: 4000\r\n\r\n--" + BOUNDARY)
                        .getBytes(StandardCharsets.ISO_8859_1));
            }
        }
        awaitSpoolFiles(0);
    }

    private static String form(String recording) {
        return "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nwhisper-1\r\n"
                + "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n"
                + "Content-Type: audio/wav\r\n\r\n" + recording + "\r\n--" + BOUNDARY + "--\r\n";
    }

    private static String head(String contentType) {
        return "POST /v1/audio/transcriptions HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: "
                + contentType + "\r\n";
    }

    private static String request(String contentType, String body) {
        return head(contentType) + "Content-Length: " + body.length() + "\r\n\r\n" + body;
    }

    /** Sends a request as written and reads the answer to its end. */
    private String exchange(String request) throws IOException {
        try (Socket socket = new Socket("localhost", server.actualPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private void assertSpoolEmpty() throws Exception {
        awaitSpoolFiles(0);
    }

    private void awaitSpoolFiles(int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (files() != count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(files()).as("files in the spool directory").isEqualTo(count);
    }

    private long files() throws IOException {
        try (Stream<Path> listed = Files.list(spoolDir)) {
            return listed.count();
        }
    }
}
