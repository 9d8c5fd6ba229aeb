package io.tiergate.router;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.tiergate.quota.QuotaStoreConfig;
import io.tiergate.quota.testing.RedisServer;
import io.tiergate.router.config.ProvidersConfig;
import io.tiergate.router.config.RouterConfig;
import io.tiergate.router.providers.Provider;
import io.tiergate.router.providers.ProviderOverrides;
import io.tiergate.router.providers.ProviderRegistry;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Admin changes reach every router replica through the Redis all replicas share. The application under test is one
 * replica; the others are what holds a replica's provider state (its registry and overrides) on a Redis client of
 * their own, as another router process would have. The scheduler is off in tests, so no periodic reload hides a
 * missing Pub/Sub message or start-up read.
 */
@QuarkusTest
@QuarkusTestResource(value = FakeProviders.class, restrictToAnnotatedClass = false)
class ReplicatedOverridesTest {

    private static final String ADMIN = "Bearer test-admin-token";
    /** Pub/Sub on loopback takes milliseconds; this leaves room for a busy CI machine. */
    private static final Duration PROPAGATION_BOUND = Duration.ofSeconds(1);

    @Inject
    ProviderRegistry registry;

    @Inject
    RouterConfig routerConfig;

    @Inject
    ProvidersConfig providersConfig;

    @Inject
    Config config;

    @Inject
    QuotaStoreConfig quotaConfig;

    @Inject
    Vertx vertx;

    private final List<Replica> replicas = new ArrayList<>();

    /** Another router replica's provider state, on its own connection to the same Redis. */
    private final class Replica {
        final ProviderRegistry registry = new ProviderRegistry(routerConfig, providersConfig, config);
        final Redis client = Redis.createClient(vertx, RedisServer.attached().uri());
        final ProviderOverrides overrides = new ProviderOverrides(registry, client, routerConfig, quotaConfig);

        Replica() {
            overrides.start();
            replicas.add(this);
        }

        Provider provider(String name) {
            return registry.find(name).orElseThrow();
        }
    }

    @BeforeEach
    void reset() {
        if (!RedisServer.attached().running()) {
            RedisServer.attached().restart();
        }
        RouterTestSupport.reset(registry);
    }

    @AfterEach
    void stopReplicas() {
        replicas.forEach(replica -> {
            replica.overrides.close();
            replica.client.close();
        });
        if (!RedisServer.attached().running()) {
            RedisServer.attached().restart();
        }
        RouterTestSupport.reset(registry);
    }

    private static ValidatableResponse patch(String provider, String body) {
        return given().contentType(ContentType.JSON).header("Authorization", ADMIN).body(body)
                .patch("/v1/providers/" + provider).then();
    }

    /** Until every replica listens, a change published now could be missed by one. */
    private static void awaitSubscribers(int count) {
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() -> subscribers() >= count);
    }

    private static int subscribers() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", RedisServer.attached().port())) {
            socket.setSoTimeout(2000);
            socket.getOutputStream().write(("PUBSUB NUMSUB " + RouterTestSupport.OVERRIDES_KEY + "\r\n").getBytes(US_ASCII));
            BufferedReader reply = new BufferedReader(new InputStreamReader(socket.getInputStream(), US_ASCII));
            // *2, $length, the channel, :subscribers
            for (int line = 0; line < 3; line++) {
                reply.readLine();
            }
            return Integer.parseInt(reply.readLine().substring(1));
        }
    }

    @Test
    void aChangeOnOneReplicaReachesAnotherWithinTheBound() {
        Replica other = new Replica();
        awaitSubscribers(2);
        assertThat(other.provider("beta").enabled()).isTrue();

        long sent = System.nanoTime();
        patch("beta", "{\"enabled\":false,\"priority\":7}")
                .statusCode(200).body("enabled", equalTo(false)).body("priority", equalTo(7)).body("scope", equalTo("cluster"));
        await().atMost(PROPAGATION_BOUND).pollInterval(Duration.ofMillis(5))
                .until(() -> !other.provider("beta").enabled() && other.provider("beta").priority() == 7);
        System.out.printf("PATCH answered and seen by the other replica after %d ms%n",
                Duration.ofNanos(System.nanoTime() - sent).toMillis());

        patch("beta", "{\"enabled\":true}").statusCode(200).body("priority", equalTo(7));
        await().atMost(PROPAGATION_BOUND).pollInterval(Duration.ofMillis(5)).until(() -> other.provider("beta").enabled());
        assertThat(other.provider("beta").priority()).as("a change keeps the switches it does not name").isEqualTo(7);
        given().get("/v1/providers").then().statusCode(200).body("find { it.name == 'beta' }.scope", equalTo("cluster"));
    }

    @Test
    void aReplicaStartedAfterTheChangeStartsWithIt() {
        patch("alpha", "{\"enabled\":false}").statusCode(200).body("scope", equalTo("cluster"));
        patch("alpha", "{\"priority\":4}").statusCode(200);

        Replica late = new Replica();
        assertThat(late.provider("alpha").enabled()).isFalse();
        assertThat(late.provider("alpha").priority()).isEqualTo(4);
        assertThat(late.provider("beta").enabled()).as("providers nobody changed keep their configuration").isTrue();
    }

    @Test
    void withRedisDownAChangeHoldsOnThisReplicaAndSaysSoThenReachesTheOthersWhenRedisReturns() {
        RedisServer.attached().stop();

        long sent = System.nanoTime();
        patch("beta", "{\"enabled\":false}").statusCode(200).body("enabled", equalTo(false)).body("scope", equalTo("replica"));
        assertThat(Duration.ofNanos(System.nanoTime() - sent)).as("no hang while Redis is down").isLessThan(Duration.ofSeconds(2));
        assertThat(registry.find("beta").orElseThrow().enabled()).isFalse();
        given().get("/v1/providers").then().statusCode(200).body("find { it.name == 'beta' }.scope", equalTo("replica"));

        RedisServer.attached().restart();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> given().get("/v1/providers")
                .then().body("find { it.name == 'beta' }.scope", equalTo("cluster")));
        Replica late = new Replica();
        assertThat(late.provider("beta").enabled()).as("the change made while Redis was down was stored once it returned").isFalse();
        assertThat(registry.find("beta").orElseThrow().enabled()).isFalse();
    }

    @Test
    void anOverrideOfAProviderThisReplicaDoesNotKnowIsIgnored() {
        Replica other = new Replica();
        awaitSubscribers(2);
        // Stored by a replica configured with a provider this configuration no longer has, and a message no replica writes.
        RedisServer.attached().command("HSET " + RouterTestSupport.OVERRIDES_KEY + " retired '{\"enabled\":false,\"version\":1}'");
        RedisServer.attached().command("PUBLISH " + RouterTestSupport.OVERRIDES_KEY + " \"retired\\n{\\\"enabled\\\":false,\\\"version\\\":2}\"");
        RedisServer.attached().command("PUBLISH " + RouterTestSupport.OVERRIDES_KEY + " garbage");
        patch("beta", "{\"priority\":3}").statusCode(200).body("scope", equalTo("cluster"));

        Replica late = new Replica();
        assertThat(late.provider("beta").priority()).as("the overrides stored after the unknown one still apply").isEqualTo(3);
        patch("beta", "{\"priority\":5}").statusCode(200).body("scope", equalTo("cluster"));
        await().atMost(PROPAGATION_BOUND).until(() -> other.provider("beta").priority() == 5 && late.provider("beta").priority() == 5);
    }
}
