package io.tiergate.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.restassured.http.ContentType;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Router replicas as a Kubernetes Service runs them: separate router processes on one Redis. An admin change sent to
 * one is served by the others, by one started later, and, when it was made while Redis was down, by the others once
 * Redis is back. Needs the packaged router ({@code router-service/target/quarkus-app}).
 */
class ReplicatedAdminEndToEndTest {

    private static final Path REPO = Path.of(System.getenv().getOrDefault("TIERGATE_REPO", "..")).toAbsolutePath().normalize();
    private static final String ADMIN = "Bearer e2e-admin-token";
    private static final List<Process> PROCESSES = new ArrayList<>();
    private static Path work;
    private static int redisPort;
    private static Process redis;

    @BeforeAll
    static void startRedis() throws Exception {
        work = Files.createTempDirectory("tiergate-replicas");
        redisPort = freePort();
        startRedisServer();
        Files.createDirectories(work.resolve("config"));
        Files.writeString(work.resolve("config/application.yaml"), """
                tiergate:
                  providers:
                    local:
                      protocol: openai
                      base-url: http://127.0.0.1:9/v1
                      capabilities: [chat]
                      tiers: [simple, medium, complex]
                      priority: 1
                      local: true
                      models: { simple: m, medium: m, complex: m }
                """);
    }

    private static void startRedisServer() throws IOException {
        redis = new ProcessBuilder("redis-server", "--port", Integer.toString(redisPort), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no").redirectErrorStream(true).redirectOutput(work.resolve("redis.log").toFile()).start();
        PROCESSES.add(redis);
    }

    @AfterAll
    static void stopAll() {
        PROCESSES.forEach(Process::destroy);
        PROCESSES.forEach(process -> {
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Starts a router replica; {@link #awaitReady} before calling it. */
    private static String startRouter(String name) throws IOException {
        int port = freePort();
        String java = ProcessHandle.current().info().command().orElse("java");
        // C1 only: these routers serve a handful of calls, and three JVMs start on two cores.
        PROCESSES.add(new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Dquarkus.http.port=" + port,
                "-Dquarkus.redis.hosts=redis://127.0.0.1:" + redisPort, "-Dquarkus.log.console.json.enabled=false",
                "-Dtiergate.router.admin.token=e2e-admin-token", "-Dtiergate.quota.retry-interval=200ms",
                "-jar", REPO.resolve("router-service/target/quarkus-app/quarkus-run.jar").toString())
                .directory(work.toFile()).redirectErrorStream(true).redirectOutput(work.resolve(name + ".log").toFile()).start());
        return "http://127.0.0.1:" + port;
    }

    private static void awaitReady(String router) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> given().get(router + "/q/health/ready").statusCode() == 200);
    }

    private static int priorityOn(String router) {
        return given().get(router + "/v1/providers").then().statusCode(200).extract().path("find { it.name == 'local' }.priority");
    }

    private static void patch(String router, int priority, String scope) {
        given().contentType(ContentType.JSON).header("Authorization", ADMIN).body("{\"priority\":" + priority + "}")
                .patch(router + "/v1/providers/local")
                .then().statusCode(200).body("priority", equalTo(priority)).body("scope", equalTo(scope));
    }

    @Test
    void aChangeSentToOneReplicaIsServedByEveryReplica() throws Exception {
        String first = startRouter("router-1");
        String second = startRouter("router-2");
        awaitReady(first);
        awaitReady(second);

        assertThat(priorityOn(second)).isEqualTo(1);
        long sent = System.nanoTime();
        patch(first, 5, "cluster");
        long answered = System.nanoTime();
        // Bounded by Pub/Sub delivery (milliseconds); the periodic reload (30 s) is far beyond this bound.
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(5)).until(() -> priorityOn(second) == 5);
        System.out.printf("PATCH answered after %d ms (a cold router's first), served by the other router %d ms later%n",
                Duration.ofNanos(answered - sent).toMillis(), Duration.ofNanos(System.nanoTime() - answered).toMillis());

        String late = startRouter("router-3");
        awaitReady(late);
        assertThat(priorityOn(late)).as("a replica started after the change").isEqualTo(5);

        redis.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        patch(second, 8, "replica");
        assertThat(priorityOn(first)).as("Redis down: the change holds on the replica it was sent to only").isEqualTo(5);

        startRedisServer();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> priorityOn(first) == 8 && priorityOn(late) == 8);
        given().get(second + "/v1/providers").then().body("find { it.name == 'local' }.scope", equalTo("cluster"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
