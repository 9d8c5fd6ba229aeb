package io.tiergate.quota;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Cooldowns any replica sets, as quota.lua's {@code cooldown} publishes them, delivered to this process as they
 * happen, so the quota blocks it holds stop handing out calls of a cooled account at once rather than when they
 * end. Listens on a Redis connection of its own (Pub/Sub takes the whole connection), and opens it again
 * {@code retryInterval} after it drops. A cooldown published while it was down is missed here: a block of that
 * account then hands out calls until its hold-for time ends, as before, while Redis refuses new blocks of it.
 */
final class CooldownFeed {

    /** Told of every cooldown published, this process's own included. */
    interface Listener {
        void cooled(String provider, String account, Instant until);
    }

    private static final Logger LOG = Logger.getLogger(CooldownFeed.class);

    private final Redis client;
    private final String channel;
    private final Duration retryInterval;
    private final Listener listener;
    private final AtomicReference<RedisConnection> connection = new AtomicReference<>();
    private volatile boolean closed;

    CooldownFeed(Redis client, String keyPrefix, Duration retryInterval, Listener listener) {
        this.client = client;
        this.channel = QuotaKeys.cooldownChannel(keyPrefix);
        this.retryInterval = retryInterval;
        this.listener = listener;
    }

    void start() {
        if (closed) {
            return;
        }
        client.connect().subscribe().with(this::listen, failure -> retryLater(null, failure));
    }

    void close() {
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
                .subscribe().with(subscribed -> { }, failure -> retryLater(opened, failure));
    }

    private void received(Response message) {
        // Subscription confirmations arrive here too; published messages are ["message", channel, payload].
        if (message == null || message.size() != 3 || !"message".equals(message.get(0).toString())) {
            return;
        }
        String[] parts = message.get(2).toString().split("\n", -1);
        try {
            listener.cooled(parts[0], parts[1], Instant.ofEpochMilli(Long.parseLong(parts[2])));
        } catch (RuntimeException malformed) {
            LOG.warnf("Ignoring a malformed cooldown message on %s: %s", channel, message);
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
        LOG.debugf("Cooldown feed on %s down (%s); listening again in %d ms", channel, failure, retryInterval.toMillis());
        Uni.createFrom().voidItem().onItem().delayIt().by(retryInterval).subscribe().with(ignored -> start());
    }
}
