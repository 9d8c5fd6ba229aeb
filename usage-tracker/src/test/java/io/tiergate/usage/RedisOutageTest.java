package io.tiergate.usage;

import static io.restassured.RestAssured.given;
import static io.tiergate.usage.ServiceToken.authorized;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.tiergate.quota.QuotaLedger;
import io.tiergate.quota.testing.RedisServer;
import io.tiergate.quota.testing.RedisTestResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Redis stopped mid-test: groq fails open (memory), openrouter closed (503); both recover when Redis returns. */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class RedisOutageTest {

    private static final String GROQ_REQUESTS_DAY =
            "providers.find { it.provider == 'groq' }.accounts.collect { it.windows.find { w -> w.unit == 'requests' && w.window == 'day' }.used }.sum()";

    @Inject
    QuotaLedger ledger;

    @AfterEach
    void redisBack() {
        RedisServer server = RedisServer.attached();
        if (!server.running()) {
            server.restart();
        }
    }

    @Test
    void followsEachProvidersPolicyWhileRedisIsDownAndRecovers() throws InterruptedException {
        RedisServer server = RedisServer.attached();
        server.flushAll();
        server.stop();

        authorized().contentType(ContentType.JSON).body("{\"provider\":\"openrouter\"}").post("/v1/reservations")
                .then().statusCode(503).contentType("application/problem+json").header("Retry-After", "1")
                .body("error.type", equalTo("server_error")).body("error.code", equalTo("quota-store-unavailable"));
        for (int i = 0; i < 3; i++) {
            String id = authorized().contentType(ContentType.JSON).body("{\"provider\":\"groq\",\"tokens\":10}").post("/v1/reservations")
                    .then().statusCode(201).extract().path("reservation_id");
            authorized().contentType(ContentType.JSON).body("{\"tokens\":40}").post("/v1/reservations/{id}/commit", id)
                    .then().statusCode(200).body("settlement", equalTo("settled"));
        }
        given().get("/v1/usage").then().statusCode(200).body("source", equalTo("memory")).body(GROQ_REQUESTS_DAY, equalTo(3));
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'quota-redis' }.data.redis", equalTo("DOWN"))
                .body("checks.find { it.name == 'quota-redis' }.data.refused", equalTo("openrouter"));

        server.restart();
        long deadline = System.currentTimeMillis() + 10_000;
        while (!ledger.redisReachable() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }

        authorized().contentType(ContentType.JSON).body("{\"provider\":\"openrouter\"}").post("/v1/reservations").then().statusCode(201);
        given().get("/v1/usage").then().statusCode(200).body("source", equalTo("redis")).body(GROQ_REQUESTS_DAY, equalTo(3));
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'quota-redis' }.data.redis", equalTo("UP"));
    }
}
