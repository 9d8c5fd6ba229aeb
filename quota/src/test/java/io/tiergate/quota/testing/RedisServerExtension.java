package io.tiergate.quota.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For plain JUnit tests: {@code @RegisterExtension static RedisServerExtension redis = new RedisServerExtension();}
 * starts a redis-server before the class, empties it before each test, and stops it after the class.
 */
public class RedisServerExtension implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

    private RedisServer server;

    public RedisServer server() {
        return server;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = RedisServer.start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!server.running()) {
            server.restart();
        }
        server.flushAll();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        server.stop();
    }
}
