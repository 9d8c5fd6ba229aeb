package io.tiergate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A failed {@code ./tiergate up} stops what it started. Something else holds the router's port, so the
 * router, started last, exits during start-up after Redis, the usage tracker and the classification,
 * transcription and diarization pods became ready; the launcher must stop those too, remove their pid files
 * and fail with the log.
 */
class FailedUpEndToEndTest {

    private static final int PORT_OFFSET = 10_100;
    private static final Path REPO = Path.of(System.getenv().getOrDefault("TIERGATE_REPO", "..")).toAbsolutePath().normalize();
    private static final Path RUN_DIR = REPO.resolve("e2e-tests/target/e2e-failed-up-run");

    private final Launcher launcher = new Launcher(Map.of(
            "TIERGATE_PORT_OFFSET", Integer.toString(PORT_OFFSET),
            "TIERGATE_RUN_DIR", RUN_DIR.toString()));

    @AfterEach
    void stopAnythingLeft() throws Exception {
        launcher.run("down");
    }

    @Test
    void aServiceThatExitsDuringStartUpStopsEverythingThisUpStarted() throws Exception {
        launcher.run("down");
        Launcher.Result up;
        try (ServerSocket routerPortTaken = new ServerSocket()) {
            routerPortTaken.bind(new InetSocketAddress("0.0.0.0", 8080 + PORT_OFFSET));
            up = launcher.run("up");
        }

        assertThat(up.exitCode()).as(up.output()).isNotZero();
        assertThat(up.output())
                .contains("usage-tracker ready", "classification ready", "transcription ready",
                        "diarization ready")
                .contains("error: router exited during start-up; its log is " + RUN_DIR.resolve("logs/router.log"))
                .as("the router log's excerpt says why").contains("Port " + (8080 + PORT_OFFSET))
                .contains("up failed: stopping what it started: router diarization transcription classification usage-tracker redis")
                .doesNotContain("Tiergate is up");

        Launcher.Result status = launcher.run("status");
        assertThat(status.output()).as(status.output())
                .containsPattern("usage-tracker\\s+stopped").containsPattern("classification\\s+stopped")
                .containsPattern("transcription\\s+stopped").containsPattern("diarization\\s+stopped")
                .containsPattern("router\\s+stopped").containsPattern("redis\\s+stopped");
        try (Stream<Path> files = Files.list(RUN_DIR)) {
            assertThat(files.map(file -> file.getFileName().toString())).noneMatch(name -> name.endsWith(".pid"));
        }
        for (int port : List.of(6380 + PORT_OFFSET, 8081 + PORT_OFFSET, 8082 + PORT_OFFSET, 8083 + PORT_OFFSET, 8084 + PORT_OFFSET,
                8080 + PORT_OFFSET)) {
            assertThat(listening(port)).as("something still listens on port " + port).isFalse();
        }
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }
}
