package io.tiergate.quota;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

/** quota.lua, run by its SHA1 (EVALSHA) and sent in full (EVAL) only when a Redis node does not have it yet. */
public final class QuotaScript {

    public static final String RESOURCE = "/io/tiergate/quota/quota.lua";
    public static final String SOURCE = load();
    public static final String SHA = sha1(SOURCE);

    private final Redis redis;
    private final Duration timeout;

    QuotaScript(Redis redis, Duration timeout) {
        this.redis = redis;
        this.timeout = timeout;
    }

    Uni<Response> run(List<String> keys, List<String> args) {
        return redis.send(request(Command.EVALSHA, SHA, keys, args))
                .onFailure(QuotaScript::noScript)
                .recoverWithUni(() -> redis.send(request(Command.EVAL, SOURCE, keys, args)))
                .ifNoItem()
                .after(timeout)
                .failWith(() -> new QuotaStoreUnavailableException("Redis did not answer within " + timeout.toMillis() + " ms"));
    }

    Uni<Void> ping() {
        return redis.send(Request.cmd(Command.PING))
                .ifNoItem()
                .after(timeout)
                .failWith(() -> new QuotaStoreUnavailableException("Redis did not answer PING within " + timeout.toMillis() + " ms"))
                .replaceWithVoid();
    }

    private static Request request(Command command, String script, List<String> keys, List<String> args) {
        Request request = Request.cmd(command).arg(script).arg(keys.size());
        keys.forEach(request::arg);
        args.forEach(request::arg);
        return request;
    }

    private static boolean noScript(Throwable failure) {
        return failure.getMessage() != null && failure.getMessage().startsWith("NOSCRIPT");
    }

    /**
     * Whether a failure means Redis answered that our command is wrong (a bug: surfaced as is) rather than that Redis
     * could not be reached or cannot serve right now (failover, loading, timeout: the failure policy applies).
     */
    static boolean isCommandError(Throwable failure) {
        String message = failure.getMessage();
        return failure.getClass().getName().endsWith(".ErrorType")
                && message != null
                && (message.startsWith("ERR") || message.startsWith("WRONGTYPE"));
    }

    private static String load() {
        try (InputStream in = QuotaScript.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
