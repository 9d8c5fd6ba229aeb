package io.tiergate.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tiergate.quota.QuotaLedger;
import io.tiergate.quota.QuotaSettings;
import io.tiergate.quota.QuotaStoreConfig;
import io.tiergate.quota.ReservationResult;
import io.tiergate.quota.UsageAmount;
import io.tiergate.quota.testing.MutableClock;
import io.tiergate.quota.testing.RedisServer;
import io.tiergate.quota.testing.RedisTestResource;
import io.tiergate.usage.config.QuotaCatalog;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two tracker instances on one Redis: this service over HTTP, and a second ledger with its own Redis connections
 * standing in for another replica. Together they must grant a limit exactly, never more.
 */
@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class ConcurrentReservationTest {

    @TestHTTPResource("/v1/reservations")
    URI reservations;

    @Inject
    MutableClock clock;

    @Inject
    QuotaCatalog catalog;

    @Inject
    QuotaStoreConfig storeConfig;

    private Vertx vertx;
    private QuotaLedger otherReplica;

    @BeforeEach
    void replicas() {
        RedisServer.attached().flushAll();
        clock.freezeAt(Instant.parse("2025-03-10T12:00:05Z"));
        vertx = Vertx.vertx();
        Redis redis = Redis.createClient(vertx, new RedisOptions()
                .setConnectionString(RedisServer.attached().uri()).setMaxPoolSize(8).setMaxPoolWaiting(4096));
        otherReplica = new QuotaLedger(redis, clock, QuotaSettings.from(storeConfig));
    }

    @AfterEach
    void close() {
        otherReplica.close();
        vertx.closeAndAwait();
        clock.reset();
    }

    @Test
    void serviceAndAnotherReplicaTogetherGrantExactlyTheLimit() {
        var openrouter = catalog.accounts("openrouter").orElseThrow(); // 64 requests per minute
        HttpClient http = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<String>>> viaHttp = new ArrayList<>();
        List<CompletableFuture<ReservationResult>> viaLibrary = new ArrayList<>();
        // 50 attempts each against a limit of 64: both instances must win some, and together exactly 64.
        for (int i = 0; i < 50; i++) {
            viaHttp.add(http.sendAsync(HttpRequest.newBuilder(reservations)
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + ServiceToken.VALUE)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"provider\":\"openrouter\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString()));
            viaLibrary.add(otherReplica.reserve("openrouter", openrouter, UsageAmount.NONE).subscribeAsCompletionStage());
        }

        List<ReservationResult> libraryResults = viaLibrary.stream().map(CompletableFuture::join).toList();
        List<Integer> statuses = viaHttp.stream().map(CompletableFuture::join).map(HttpResponse::statusCode).toList();

        long grantedHttp = statuses.stream().filter(s -> s == 201).count();
        long grantedLibrary = libraryResults.stream().filter(r -> r instanceof ReservationResult.Granted).count();
        assertThat(statuses).allMatch(s -> s == 201 || s == 429);
        assertThat(grantedHttp + grantedLibrary).isEqualTo(64);
    }
}
