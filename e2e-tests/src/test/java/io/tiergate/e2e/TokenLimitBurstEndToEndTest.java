package io.tiergate.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two router replicas sharing one Redis take a burst from 64 concurrent clients against a provider whose two accounts
 * allow 3,000 tokens a minute each, with mixed {@code max_tokens} (none, small, large). The provider meters what it
 * is actually sent; no account may go past its limit, and the burst should use most of it.
 */
class TokenLimitBurstEndToEndTest {

    private static final long LIMIT = 3_000;
    private static final int CLIENTS = 64;
    private static final Duration BURST = Duration.ofSeconds(8);
    private static final Path REPO = Path.of(System.getenv().getOrDefault("TIERGATE_REPO", "..")).toAbsolutePath().normalize();

    private static final TokenMeteringProvider METER = new TokenMeteringProvider(LIMIT);
    private static final WireMockServer PROVIDER = new WireMockServer(wireMockConfig().dynamicPort().extensions(METER));
    private static final List<Process> PROCESSES = new ArrayList<>();
    private static final List<String> ROUTERS = new ArrayList<>();

    @BeforeAll
    static void startRedisAndTwoRouters() throws Exception {
        PROVIDER.start();
        PROVIDER.stubFor(post(urlEqualTo("/v1/chat/completions"))
                .willReturn(aResponse().withFixedDelay(40).withTransformers(TokenMeteringProvider.NAME)));
        Path work = Files.createTempDirectory("tiergate-burst");
        int redisPort = freePort();
        PROCESSES.add(new ProcessBuilder("redis-server", "--port", Integer.toString(redisPort), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no").redirectErrorStream(true).redirectOutput(work.resolve("redis.log").toFile()).start());
        Files.createDirectories(work.resolve("config"));
        Files.writeString(work.resolve("config/application.yaml"), """
                tiergate:
                  router:
                    budget:
                      allow-paid: true
                  providers:
                    metered:
                      protocol: openai
                      base-url: %s/v1
                      capabilities: [chat]
                      tiers: [simple, medium, complex]
                      priority: 1
                      models: { simple: m-small, medium: m-large, complex: m-large }
                      accounts:
                        a1: { api-key-env: METERED_KEY_1, limits: { tokens: { per-minute: %d } } }
                        a2: { api-key-env: METERED_KEY_2, limits: { tokens: { per-minute: %d } } }
                """.formatted(PROVIDER.baseUrl(), LIMIT, LIMIT));
        String java = ProcessHandle.current().info().command().orElse("java");
        for (int replica = 0; replica < 2; replica++) {
            int port = freePort();
            // Two routers, Redis, the provider and 64 clients share two cores here: a Redis reply can wait past the
            // default 500 ms for a busy event loop, and this test is about token limits, not fail-open shares
            // (FailOpenShareTest covers those).
            ProcessBuilder router = new ProcessBuilder(java, "-Xmx512m", "-Dquarkus.http.port=" + port,
                    "-Dquarkus.redis.hosts=redis://127.0.0.1:" + redisPort, "-Dquarkus.log.console.json.enabled=false",
                    "-Dtiergate.quota.redis-timeout=3s",
                    "-jar", REPO.resolve("router-service/target/quarkus-app/quarkus-run.jar").toString())
                    .directory(work.toFile()).redirectErrorStream(true).redirectOutput(work.resolve("router-" + replica + ".log").toFile());
            router.environment().putAll(Map.of("METERED_KEY_1", "key-one", "METERED_KEY_2", "key-two"));
            PROCESSES.add(router.start());
            ROUTERS.add("http://127.0.0.1:" + port);
        }
        HttpClient http = HttpClient.newHttpClient();
        for (String router : ROUTERS) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() ->
                    http.send(HttpRequest.newBuilder(URI.create(router + "/q/health/ready")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
        }
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
        PROVIDER.stop();
    }

    @Test
    void aBurstWithMixedOutputCapsNeverTakesAnAccountPastItsTokenLimit() throws Exception {
        waitForAFreshMinute();
        long minute = System.currentTimeMillis() / 60_000;
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        // A replica's first calls load classes and open Redis connections: warm both up (their calls count too).
        for (String router : ROUTERS) {
            for (int i = 0; i < 3; i++) {
                http.send(HttpRequest.newBuilder(URI.create(router + "/v1/chat/completions")).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                        .build(), HttpResponse.BodyHandlers.discarding());
            }
        }
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        AtomicInteger capped = new AtomicInteger();
        long deadline = System.nanoTime() + BURST.toNanos();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        for (int client = 0; client < CLIENTS; client++) {
            String router = ROUTERS.get(client % 2);
            Random random = new Random(client);
            clients.submit(() -> {
                while (System.nanoTime() < deadline) {
                    HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(router + "/v1/chat/completions"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(chat(random))).build(), HttpResponse.BodyHandlers.discarding());
                    statuses.computeIfAbsent(response.statusCode(), status -> new AtomicInteger()).incrementAndGet();
                    if (response.headers().firstValue("X-Tiergate-Max-Tokens").isPresent()) {
                        capped.incrementAndGet();
                    }
                    long retryAfterMillis = response.headers().firstValue("Retry-After").map(Long::parseLong).orElse(0L) * 1000;
                    long left = (deadline - System.nanoTime()) / 1_000_000;
                    if (retryAfterMillis > 0 && left > 0) {
                        Thread.sleep(Math.min(retryAfterMillis, left));
                    }
                }
                return null;
            });
        }
        clients.shutdown();
        assertThat(clients.awaitTermination(BURST.toSeconds() + 60, TimeUnit.SECONDS)).isTrue();

        long used = METER.used("Bearer key-one", minute) + METER.used("Bearer key-two", minute);
        double utilisation = (double) used / (2 * LIMIT);
        System.out.printf("token burst: 2 replicas x %d clients, %d provider calls, statuses %s, %d answers capped by the router, "
                        + "over-limit calls %d (%d tokens), used %d of %d tokens (utilisation %.4f)%n",
                CLIENTS, METER.calls(), statuses, capped.get(), METER.overLimitCalls(), METER.overLimitTokens(), used, 2 * LIMIT,
                utilisation);
        assertThat(METER.overLimitCalls()).as("calls that took an account past its limit").isZero();
        assertThat(statuses.keySet()).as("every answer is served or refused for quota").containsOnly(200, 429);
        assertThat(capped.get()).as("uncapped and oversized asks were capped to fit").isPositive();
        assertThat(utilisation).as("share of both accounts' minute limits used by the burst").isGreaterThan(0.9);
    }

    /** A chat of 5 to 150 words that asks for no cap, a small one or one larger than an account's whole minute. */
    private static String chat(Random random) {
        int words = 5 + random.nextInt(146);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < words; i++) {
            text.append(i % 7 == 0 ? "session " : "dragon ");
        }
        String cap = switch (random.nextInt(4)) {
            case 0 -> "";
            case 1 -> "\"max_tokens\":10,";
            case 2 -> "\"max_tokens\":300,";
            default -> "\"max_tokens\":5000,";
        };
        return "{" + cap + "\"messages\":[{\"role\":\"user\",\"content\":\"" + text.toString().trim() + "\"}]}";
    }

    /** The burst and its settlements must fall in one minute window, as the provider's counters do. */
    private static void waitForAFreshMinute() throws InterruptedException {
        long intoMinute = System.currentTimeMillis() % 60_000;
        if (intoMinute > 60_000 - BURST.toMillis() - 10_000) {
            Thread.sleep(60_000 - intoMinute + 200);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
