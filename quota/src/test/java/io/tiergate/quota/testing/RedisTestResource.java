package io.tiergate.quota.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Starts a real redis-server for a {@code @QuarkusTest} and points the default Redis client at it. Take control of
 * the server (stop, restart, flush) from the test with {@link RedisServer#attached()}.
 */
public class RedisTestResource implements QuarkusTestResourceLifecycleManager {

    private RedisServer server;

    @Override
    public Map<String, String> start() {
        server = RedisServer.start();
        return Map.of("quarkus.redis.hosts", server.uri());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
