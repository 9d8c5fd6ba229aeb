package io.tiergate.quota.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} process on a free loopback port, without persistence, that a test can stop and start
 * again on the same port. Its port and pid are published as system properties, so a test can take control of the
 * server a Quarkus test resource started ({@link #attached()}) whatever class loader it runs in. The pid property
 * is suffixed with the port, so servers of several tests in one JVM stay apart.
 */
public final class RedisServer {

    public static final String PORT_PROPERTY = "io.tiergate.test.redis.port";
    public static final String PID_PROPERTY = "io.tiergate.test.redis.pid";
    private static final Duration STARTUP = Duration.ofSeconds(10);

    private final int port;
    private final List<String> configFile;
    private final List<String> options;

    private RedisServer(int port, List<String> configFile, List<String> options) {
        this.port = port;
        this.configFile = configFile;
        this.options = options;
    }

    /** Starts a server on a free port, with extra command-line {@code options} such as {@code --cluster-enabled yes}. */
    public static RedisServer start(String... options) {
        RedisServer server = new RedisServer(freePort(), List.of(), List.of(options));
        server.launch();
        return server;
    }

    /** Starts a Sentinel on a free port that monitors {@code master} under {@code masterName}. */
    public static RedisServer startSentinel(RedisServer master, String masterName) {
        try {
            Path config = Files.createTempFile("tiergate-sentinel", ".conf");
            Files.writeString(config, "sentinel monitor " + masterName + " 127.0.0.1 " + master.port() + " 1\n");
            RedisServer sentinel = new RedisServer(freePort(), List.of(config.toString()), List.of("--sentinel"));
            sentinel.launch();
            return sentinel;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The server most recently started in this JVM. */
    public static RedisServer attached() {
        String port = System.getProperty(PORT_PROPERTY);
        if (port == null) {
            throw new IllegalStateException("no redis-server started in this JVM");
        }
        return new RedisServer(Integer.parseInt(port), List.of(), List.of());
    }

    private String pidProperty() {
        return PID_PROPERTY + "." + port;
    }

    public int port() {
        return port;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** Stops the server the way a crash would look to clients: connections drop, data is gone. */
    public void stop() {
        String pid = System.getProperty(pidProperty());
        if (pid == null) {
            return;
        }
        ProcessHandle.of(Long.parseLong(pid)).ifPresent(process -> {
            process.destroyForcibly();
            process.onExit().orTimeout(10, TimeUnit.SECONDS).join();
        });
        System.clearProperty(pidProperty());
    }

    /**
     * Freezes the server (SIGSTOP), as a stalled host or a long pause would: connections stay open and commands sent
     * meanwhile wait unanswered, to run once it {@link #resume()}s.
     */
    public void pause() {
        signal("STOP");
    }

    /** Thaws a {@link #pause()}d server (SIGCONT); it runs the commands that queued up meanwhile. */
    public void resume() {
        signal("CONT");
    }

    private void signal(String signal) {
        String pid = System.getProperty(pidProperty());
        if (pid == null) {
            throw new IllegalStateException("redis-server on port " + port + " is not running");
        }
        try {
            int exit = new ProcessBuilder("kill", "-" + signal, pid).inheritIO().start().waitFor();
            if (exit != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid + " exited with " + exit);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts the server again on the same port (empty). */
    public void restart() {
        stop();
        launch();
    }

    public boolean running() {
        String pid = System.getProperty(pidProperty());
        return pid != null && ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
    }

    public void flushAll() {
        String reply = command("FLUSHALL");
        if (!reply.startsWith("+OK")) {
            throw new IllegalStateException("FLUSHALL answered " + reply);
        }
    }

    /** Sends one inline command and returns the first line of the reply, e.g. {@code +PONG}. */
    public String command(String inline) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write((inline + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c = in.read(); c != -1 && c != '\r'; c = in.read()) {
                line.append((char) c);
            }
            return line.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void launch() {
        try {
            Path dir = Files.createTempDirectory("tiergate-redis");
            List<String> command = new ArrayList<>(List.of(executable()));
            command.addAll(configFile);
            command.addAll(List.of("--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                    "--dir", dir.toString()));
            command.addAll(options);
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis.log").toFile())
                    .start();
            System.setProperty(PORT_PROPERTY, Integer.toString(port));
            System.setProperty(pidProperty(), Long.toString(process.pid()));
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
            awaitPong(process, dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitPong(Process process, Path dir) throws IOException {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited: " + Files.readString(dir.resolve("redis.log")));
            }
            try {
                if (command("PING").equals("+PONG")) {
                    return;
                }
            } catch (UncheckedIOException notYet) {
                // still starting
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("redis-server did not answer PING on port " + port + " within " + STARTUP);
    }

    private static String executable() {
        String configured = System.getenv("REDIS_SERVER");
        if (configured != null) {
            return configured;
        }
        for (String candidate : List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        return "redis-server";
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
