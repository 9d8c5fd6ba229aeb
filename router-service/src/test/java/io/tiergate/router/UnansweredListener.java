package io.tiergate.router;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * A TCP listener that never accepts a connection, its accept queue filled at start. The kernel then leaves further
 * connection attempts unanswered (Linux drops their SYNs), so a client's connect times out, as it does against a host
 * that is down or behind a firewall that drops packets.
 */
final class UnansweredListener implements AutoCloseable {

    private static final int MAX_QUEUED = 64;

    private final ServerSocket server;
    private final List<Socket> queued = new ArrayList<>();

    UnansweredListener() throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
        // How many connections a backlog of 1 queues differs by kernel: connect until one is no longer answered.
        while (true) {
            Socket socket = new Socket();
            try {
                socket.connect(server.getLocalSocketAddress(), 200);
            } catch (SocketTimeoutException queueFull) {
                socket.close();
                return;
            }
            queued.add(socket);
            if (queued.size() > MAX_QUEUED) {
                close();
                throw new IllegalStateException("the listener's accept queue never filled up");
            }
        }
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        for (Socket socket : queued) {
            socket.close();
        }
        server.close();
    }
}
