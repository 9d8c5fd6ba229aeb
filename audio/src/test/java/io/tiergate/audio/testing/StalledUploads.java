package io.tiergate.audio.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Clients that start uploading a recording to a speech endpoint and then send nothing more, holding their connections
 * open until closed: what a slow or hostile client does to a pod.
 */
public final class StalledUploads implements AutoCloseable {

    private final List<Socket> sockets = new ArrayList<>();

    private StalledUploads() {}

    /** {@code count} uploads to {@code path} on the local {@code port}, each stopped after its first kilobyte of a 300 KB form. */
    public static StalledUploads start(int port, String path, int count) {
        StalledUploads uploads = new StalledUploads();
        String part = "--stalled\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n"
                + "Content-Type: audio/wav\r\n\r\n" + "R".repeat(1000);
        String request = "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: multipart/form-data; boundary=stalled\r\n"
                + "Content-Length: 300000\r\n\r\n" + part;
        try {
            for (int i = 0; i < count; i++) {
                Socket socket = new Socket("localhost", port);
                uploads.sockets.add(socket);
                socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
            }
        } catch (IOException e) {
            uploads.close();
            throw new UncheckedIOException(e);
        }
        return uploads;
    }

    /**
     * With more uploads stalled at {@code path} than the pod on the local {@code port} has worker threads, its readiness
     * and {@code recording} posted there are still answered 200, each within 20 seconds.
     */
    public static void assertThePodStillAnswers(int port, String path, Path recording, int stalledCount) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        Duration within = Duration.ofSeconds(20);
        try (StalledUploads stalled = start(port, path, stalledCount);
                ByteArrayOutputStream body = new ByteArrayOutputStream()) {
            body.write(("--answered\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + recording.getFileName()
                    + "\"\r\nContent-Type: audio/wav\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.write(Files.readAllBytes(recording));
            body.write("\r\n--answered--\r\n".getBytes(StandardCharsets.US_ASCII));
            HttpResponse<String> ready = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/q/health/ready"))
                    .timeout(within).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .timeout(within).header("Content-Type", "multipart/form-data; boundary=answered")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        }
    }

    @Override
    public void close() {
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing is all that is left to do with it
            }
        }
    }
}
