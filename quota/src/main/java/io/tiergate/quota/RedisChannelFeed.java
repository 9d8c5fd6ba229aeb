package io.tiergate.quota;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Messages published on one Redis channel by any replica, delivered to this process as they happen, on the
 * application's Redis client: the quota ledger's cooldowns, the router's provider overrides. Listens on a
 * connection of its own (Pub/Sub takes the whole connection), and opens it again {@code retryInterval} after it
 * drops. A message published while it was down is missed: {@code onSubscribed} runs each time the subscription
 * stands again, so a listener can read back from Redis whatever it needs not to miss.
 */
public final class RedisChannelFeed {

    private static final Logger LOG = Logger.getLogger(RedisChannelFeed.class);

    private final Redis client;
    private final String channel;
    private final Duration retryInterval;
    private final Consumer<String> onMessage;
    private final Runnable onSubscribed;
    private final AtomicReference<RedisConnection> connection = new AtomicReference<>();
    private volatile boolean closed;

    /**
     * @param onMessage told of every message's payload, this process's own included
     * @param onSubscribed told each time the subscription stands, the first time and after every reconnection
     */
    public RedisChannelFeed(Redis client, String channel, Duration retryInterval, Consumer<String> onMessage,
            Runnable onSubscribed) {
        this.client = client;
        this.channel = channel;
        this.retryInterval = retryInterval;
        this.onMessage = onMessage;
        this.onSubscribed = onSubscribed;
    }

    public void start() {
        if (closed) {
            return;
        }
        client.connect().subscribe().with(this::listen, failure -> retryLater(null, failure));
    }

    public void close() {
        closed = true;
        RedisConnection open = connection.getAndSet(null);
        if (open != null) {
            open.closeAndForget();
        }
    }

    private void listen(RedisConnection opened) {
        connection.set(opened);
        if (closed) {
            close();
            return;
        }
        opened.handler(this::received)
                .exceptionHandler(failure -> retryLater(opened, failure))
                .endHandler(() -> retryLater(opened, null));
        opened.send(Request.cmd(Command.SUBSCRIBE).arg(channel))
                .subscribe().with(subscribed -> onSubscribed.run(), failure -> retryLater(opened, failure));
    }

    private void received(Response message) {
        // Subscription confirmations arrive here too; published messages are ["message", channel, payload].
        if (message == null || message.size() != 3 || !"message".equals(message.get(0).toString())) {
            return;
        }
        try {
            onMessage.accept(message.get(2).toString());
        } catch (RuntimeException malformed) {
            LOG.warnf("Ignoring a malformed message on %s: %s (%s)", channel, message, malformed.toString());
        }
    }

    /** Once per connection: its exception and end handlers may both fire. */
    private void retryLater(RedisConnection failed, Throwable failure) {
        if (failed != null) {
            if (!connection.compareAndSet(failed, null)) {
                return;
            }
            failed.closeAndForget();
        }
        if (closed) {
            return;
        }
        LOG.debugf("Feed of %s down (%s); listening again in %d ms", channel, failure, retryInterval.toMillis());
        Uni.createFrom().voidItem().onItem().delayIt().by(retryInterval).subscribe().with(ignored -> start());
    }
}
