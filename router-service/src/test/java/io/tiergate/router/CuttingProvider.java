package io.tiergate.router;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * An OpenAI-compatible provider whose every chat stream breaks off; it serves until the test JVM exits. It answers 200
 * with a chunked event stream, sends a few events and the start of one more, then drops the connection without the
 * stream's last chunk. A raw socket rather than WireMock, whose faults cannot send chosen
 * events before failing.
 *
 * <p>Calls vary in turn, so a test repeating the call meets every way a stream breaks: sending the whole answer in one
 * write, so the cut may reach the router before it has started relaying, or each event in a chunk of its own with
 * pauses between them, so it comes while the router relays; and closing the socket (FIN) or resetting it (RST).
 *
 * <p>A request asking for {@link #LONG_ANSWER} gets {@link #LONG_SENT} instead: more than a caller that does not read
 * takes in, so the router holds some of it back when the cut comes; the provider sends it in one write and closes the
 * socket (FIN).
 */
public final class CuttingProvider {

    /** Everything the provider sends of an answer's body: three whole events and the start of a fourth. */
    public static final String SENT = Stream.of("{\"role\":\"assistant\",\"content\":\"\"}", "{\"content\":\"Hel\"}",
            "{\"content\":\"lo\"}").map(CuttingProvider::event).collect(Collectors.joining()) + brokenOff();
    /** The words in a request that make it a long answer. */
    public static final String LONG_ANSWER = "a long answer";
    /** Everything the provider sends of a long answer's body, about 160 KB. */
    public static final String LONG_SENT = IntStream.range(0, 160)
            .mapToObj(i -> event("{\"content\":\"" + String.valueOf((char) ('a' + i % 26)).repeat(1000) + "\"}"))
            .collect(Collectors.joining()) + brokenOff();

    private final ServerSocket server;
    private final AtomicInteger calls = new AtomicInteger();
    /** Answers cut so far; guarded by this. */
    private int cuts;

    public CuttingProvider() {
        try {
            server = new ServerSocket(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::accept, "cutting-provider");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public String baseUrl() {
        return "http://localhost:" + server.getLocalPort();
    }

    /** How many answers it has cut so far. */
    public synchronized int cuts() {
        return cuts;
    }

    /** Waits until it has cut more than {@code seen} answers (each sent whole first); false if not within {@code timeout}. */
    public synchronized boolean awaitCutsBeyond(int seen, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (cuts <= seen) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    private synchronized void cut() {
        cuts++;
        notifyAll();
    }

    private static String event(String delta) {
        return "data: {\"id\":\"cut\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"cut-model\","
                + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":null}]}\n\n";
    }

    private static String brokenOff() {
        return "data: {\"id\":\"cut\",\"object\":\"chat.comp";
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                int call = calls.getAndIncrement();
                Thread answer = new Thread(() -> answer(socket, call), "cutting-provider-" + call);
                answer.setDaemon(true);
                answer.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void answer(Socket socket, int call) {
        try (socket) {
            String request = readRequest(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            byte[] head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII);
            if (request.contains(LONG_ANSWER)) {
                out.write(concat(head, chunk(LONG_SENT)));
                return;
            }
            if (call % 2 == 0) {
                out.write(concat(head, chunk(SENT)));
            } else {
                out.write(head);
                for (String part : SENT.split("(?<=\n\n)")) {
                    out.write(chunk(part));
                    Thread.sleep(15);
                }
            }
            if (call % 4 >= 2) {
                // A reset throws away whatever the router's side has not read yet: give it the time to read what was sent.
                Thread.sleep(20);
                socket.setSoLinger(true, 0);
            }
        } catch (IOException | InterruptedException ignored) {
            // the router went away first: nothing left to cut
        } finally {
            cut();
        }
    }

    private static byte[] concat(byte[] first, byte[] second) {
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.writeBytes(first);
        both.writeBytes(second);
        return both.toByteArray();
    }

    private static byte[] chunk(String data) {
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream chunk = new ByteArrayOutputStream();
        chunk.writeBytes((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        chunk.writeBytes(bytes);
        chunk.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        return chunk.toByteArray();
    }

    /** Reads the request (its head, then its body, sent with a Content-Length), so the cut cannot come before it is read. */
    private static String readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last = 0;
        while (last != 0x0d0a0d0a) {
            int next = in.read();
            if (next < 0) {
                throw new IOException("request ended early");
            }
            head.write(next);
            last = (last << 8) | next;
        }
        int length = 0;
        for (String line : head.toString(StandardCharsets.US_ASCII).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
