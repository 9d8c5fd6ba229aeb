package io.tiergate.router;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static io.tiergate.router.RouterTestSupport.SIMPLE_CHAT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

import com.github.tomakehurst.wiremock.http.Fault;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.tiergate.quota.QuotaLedger;
import io.tiergate.quota.QuotaUnit;
import io.tiergate.quota.QuotaWindow;
import io.tiergate.quota.UsageReport;
import io.tiergate.quota.testing.RedisServer;
import io.tiergate.router.providers.Backend;
import io.tiergate.router.providers.Provider;
import io.tiergate.router.providers.ProviderRegistry;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The router reserving and settling quota on Redis for gamma, whose two accounts allow 2 requests a day each. */
@QuarkusTest
@QuarkusTestResource(value = FakeProviders.class, restrictToAnnotatedClass = false)
class RouterQuotaTest {

    private static final String CHAT = "/v1/chat/completions";

    @Inject
    ProviderRegistry registry;

    @Inject
    QuotaLedger ledger;

    private Provider gamma;

    @BeforeEach
    void reset() {
        RouterTestSupport.reset(registry);
        RouterTestSupport.flushLedgerWhenSettled(registry, ledger);
        gamma = registry.find("gamma").orElseThrow();
        gamma.setEnabled(true);
        FakeProviders.GAMMA.stubFor(post(urlEqualTo(CHAT)).willReturn(okJson(ProviderResponses.openAiCompletion("g", "from gamma"))));
        RouterTestSupport.answers(FakeProviders.BETA, "beta-mini", "from beta");
    }

    @AfterEach
    void disableGamma() {
        gamma.setEnabled(false);
        if (!RedisServer.attached().running()) {
            RedisServer.attached().restart();
        }
    }

    private Response chatOnGamma() {
        return given().contentType(ContentType.JSON).header("X-Tiergate-Provider", "gamma").body(SIMPLE_CHAT).post(CHAT);
    }

    private UsageReport.AccountUsage usage(String account) {
        var quotas = gamma.backends().stream().map(backend -> backend.quota().orElseThrow()).toList();
        return ledger.report(quotas).await().indefinitely().accounts().stream()
                .filter(usage -> usage.account().equals(account)).findFirst().orElseThrow();
    }

    private static ConditionFactory awaitSettlement() {
        return await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20));
    }

    @Test
    void accountsAreBalancedAndTheLimitIsNeverExceeded() {
        List<String> accounts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Response response = chatOnGamma();
            assertThat(response.statusCode()).isEqualTo(200);
            accounts.add(response.header("X-Tiergate-Account"));
        }
        assertThat(accounts).containsExactlyInAnyOrder("g1", "g1", "g2", "g2");

        chatOnGamma().then().statusCode(429)
                .contentType("application/problem+json")
                .header("Retry-After", org.hamcrest.Matchers.notNullValue())
                .body("attempts.outcome", hasItem("quota_exhausted"));
        FakeProviders.GAMMA.verify(4, postRequestedFor(urlEqualTo(CHAT)));

        given().contentType(ContentType.JSON).header("X-Tiergate-Provider", "gamma").body(SIMPLE_CHAT)
                .post("/v1/route/explain")
                .then().statusCode(200)
                .body("excluded.find { it.account == 'g1' }.reason", startsWith("quota exhausted: requests per day (2/2) until "));
    }

    @Test
    void aCallTooLargeForTheTokensLeftIsSentWithItsOutputCappedToFitAndTheCallerIsTold() {
        // Each account allows 100,000 tokens a day: 150,000 of output fits neither whole, so the cap sent is lowered.
        String large = "{\"max_tokens\":150000,\"messages\":[{\"role\":\"user\",\"content\":\"Write a long story\"}]}";
        Response response = given().contentType(ContentType.JSON).header("X-Tiergate-Provider", "gamma").body(large).post(CHAT);

        assertThat(response.statusCode()).isEqualTo(200);
        long cap = Long.parseLong(response.header("X-Tiergate-Max-Tokens"));
        assertThat(cap).isBetween(99_900L, 99_999L);
        FakeProviders.GAMMA.verify(1, postRequestedFor(urlEqualTo(CHAT))
                .withRequestBody(matchingJsonPath("$.max_tokens", equalTo(Long.toString(cap)))));
    }

    @Test
    void aCallerWithoutAnOutputCapGetsOneOnATokenLimitedAccount() {
        Response response = chatOnGamma();

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.header("X-Tiergate-Max-Tokens")).isEqualTo("1024");
        FakeProviders.GAMMA.verify(1, postRequestedFor(urlEqualTo(CHAT)).withRequestBody(matchingJsonPath("$.max_tokens", equalTo("1024"))));
    }

    @Test
    void aCallerWhoseOwnCapFitsIsSentItUnchanged() {
        String capped = "{\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
        Response response = given().contentType(ContentType.JSON).header("X-Tiergate-Provider", "gamma").body(capped).post(CHAT);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.header("X-Tiergate-Max-Tokens")).isNull();
        FakeProviders.GAMMA.verify(1, postRequestedFor(urlEqualTo(CHAT)).withRequestBody(matchingJsonPath("$.max_tokens", equalTo("50"))));
    }

    @Test
    void commitsRecordTheTokensTheProviderReported() {
        String account = chatOnGamma().then().statusCode(200).extract().header("X-Tiergate-Account");
        // Settlement runs after the answer has gone back to the caller, so it is awaited, not assumed.
        awaitSettlement().untilAsserted(() -> {
            UsageReport.WindowUsage tokens = usage(account).window(QuotaUnit.TOKENS, QuotaWindow.DAY);
            assertThat(tokens.used()).isEqualTo(17); // usage.total_tokens of the fake answer
            assertThat(tokens.reserved()).isZero();
            assertThat(usage(account).window(QuotaUnit.REQUESTS, QuotaWindow.DAY).used()).isEqualTo(1);
        });
    }

    @Test
    void aStreamedAnswerIsSettledWhenItEndsWithTheUsageItReported() {
        String stream = """
                data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"g","choices":[{"index":0,"delta":{"role":"assistant","content":"Hi"},"finish_reason":"stop"}],"usage":null}

                data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"g","choices":[],"usage":{"prompt_tokens":30,"completion_tokens":12,"total_tokens":42}}

                data: [DONE]

                """;
        FakeProviders.GAMMA.stubFor(post(urlEqualTo(CHAT)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/event-stream").withBody(stream)));

        Response response = given().contentType(ContentType.JSON).header("X-Tiergate-Provider", "gamma")
                .body("{\"stream\":true,\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .post(CHAT);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.asString()).isEqualTo(stream);
        String account = response.header("X-Tiergate-Account");
        awaitSettlement().untilAsserted(() -> {
            UsageReport.WindowUsage tokens = usage(account).window(QuotaUnit.TOKENS, QuotaWindow.DAY);
            assertThat(tokens.used()).isEqualTo(42);
            assertThat(tokens.reserved()).isZero();
        });
    }

    @Test
    void aCallerLeavingAStreamEarlySettlesItsQuotaAtOnce() throws Exception {
        StringBuilder stream = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            stream.append("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"word \"}}]}\n\n");
        }
        FakeProviders.GAMMA.stubFor(post(urlEqualTo(CHAT)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/event-stream").withBody(stream.toString())
                .withChunkedDribbleDelay(20, 6000)));
        String body = "{\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.getOutputStream().write(("POST " + CHAT + " HTTP/1.1\r\nHost: localhost\r\nX-Tiergate-Provider: gamma\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                    .getBytes(StandardCharsets.UTF_8));
            BufferedReader reader = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null && !line.startsWith("data:"); line = reader.readLine()) {
                assertThat(line).doesNotStartWith("HTTP/1.1 5");
            }
        }
        // The whole stream takes 6 s; the caller left after its first event.
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
            UsageReport.AccountUsage g1 = usage("g1");
            UsageReport.AccountUsage g2 = usage("g2");
            assertThat(g1.window(QuotaUnit.REQUESTS, QuotaWindow.DAY).used() + g2.window(QuotaUnit.REQUESTS, QuotaWindow.DAY).used())
                    .isEqualTo(1);
            assertThat(g1.window(QuotaUnit.TOKENS, QuotaWindow.DAY).reserved() + g2.window(QuotaUnit.TOKENS, QuotaWindow.DAY).reserved())
                    .isZero();
        });
    }

    /** A stream the provider breaks off (here before its first event, so the usage is the estimate) is settled once. */
    @Test
    void aStreamTheProviderBreaksOffIsSettledOnce() throws Exception {
        FakeProviders.GAMMA.stubFor(post(urlEqualTo(CHAT)).willReturn(aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK)));
        String body = "{\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.getOutputStream().write(("POST " + CHAT + " HTTP/1.1\r\nHost: localhost\r\nX-Tiergate-Provider: gamma\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                    .getBytes(StandardCharsets.UTF_8));
            socket.setSoTimeout(5000);
            // The router drops the connection: the provider's answer broke off before anything could be passed on.
            assertThat(socket.getInputStream().readAllBytes()).asString(StandardCharsets.UTF_8).doesNotContain("HTTP/1.1 5");
        }
        awaitSettlement().untilAsserted(() -> {
            UsageReport.AccountUsage g1 = usage("g1");
            UsageReport.AccountUsage g2 = usage("g2");
            assertThat(g1.window(QuotaUnit.REQUESTS, QuotaWindow.DAY).used() + g2.window(QuotaUnit.REQUESTS, QuotaWindow.DAY).used())
                    .isEqualTo(1);
            assertThat(g1.window(QuotaUnit.TOKENS, QuotaWindow.DAY).reserved() + g2.window(QuotaUnit.TOKENS, QuotaWindow.DAY).reserved())
                    .isZero();
            assertThat(g1.window(QuotaUnit.TOKENS, QuotaWindow.DAY).used() + g2.window(QuotaUnit.TOKENS, QuotaWindow.DAY).used())
                    .isPositive();
        });
    }

    @Test
    void callsOnAnAccountWithRoomComeFromOneBlockSettledWithTheTokensReported() {
        Provider delta = registry.find("delta").orElseThrow();
        delta.setEnabled(true);
        try {
            for (int i = 0; i < 3; i++) {
                given().contentType(ContentType.JSON).header("X-Tiergate-Provider", "delta").body(SIMPLE_CHAT).post(CHAT)
                        .then().statusCode(200).header("X-Tiergate-Account", "d1");
            }
            var quota = delta.backends().get(0).quota().orElseThrow();
            UsageReport.AccountUsage held = ledger.report(List.of(quota)).await().indefinitely().accounts().get(0);
            assertThat(held.window(QuotaUnit.REQUESTS, QuotaWindow.DAY).reserved())
                    .as("one reservation held a block of 64 calls for this replica").isEqualTo(64);
            assertThat(held.window(QuotaUnit.REQUESTS, QuotaWindow.DAY).used()).as("settled when the block closes").isZero();

            awaitSettlement().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                UsageReport.AccountUsage settled = ledger.report(List.of(quota)).await().indefinitely().accounts().get(0);
                assertThat(settled.window(QuotaUnit.REQUESTS, QuotaWindow.DAY).used()).isEqualTo(3);
                assertThat(settled.window(QuotaUnit.REQUESTS, QuotaWindow.DAY).reserved()).isZero();
                assertThat(settled.window(QuotaUnit.TOKENS, QuotaWindow.DAY).used()).isEqualTo(3 * 17);
            });
        } finally {
            delta.setEnabled(false);
        }
    }

    @Test
    void attemptsThatNeverReachedTheProviderGiveTheirQuotaBack() {
        Provider blackhole = registry.find("blackhole").orElseThrow();
        var quota = blackhole.backends().get(0).quota().orElseThrow();
        // The ledger's first Redis call may take longer than the test configuration's redis-timeout: not this test's matter.
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> ledger.report(List.of(quota)).await().indefinitely().source() == UsageReport.Source.REDIS);
        blackhole.setEnabled(true);
        try {
            // blackhole's listener never accepts a connection: each of the three tries times out connecting
            given().contentType(ContentType.JSON).header("X-Tiergate-Provider", "blackhole").body(SIMPLE_CHAT).post(CHAT)
                    .then().statusCode(503)
                    .header("X-Tiergate-Attempts", "3")
                    .body("attempts.outcome", everyItem(org.hamcrest.Matchers.equalTo("connect_error")))
                    .body("attempts.detail", everyItem(org.hamcrest.Matchers.equalTo("cannot connect within 300 ms")));
            awaitSettlement().untilAsserted(() -> {
                UsageReport.AccountUsage h1 = ledger.report(List.of(quota)).await().indefinitely().accounts().get(0);
                assertThat(h1.window(QuotaUnit.TOKENS, QuotaWindow.DAY).reserved()).isZero();
                assertThat(h1.window(QuotaUnit.TOKENS, QuotaWindow.DAY).used()).as("no estimate kept").isZero();
                assertThat(h1.window(QuotaUnit.REQUESTS, QuotaWindow.DAY).used()).as("no request counted").isZero();
            });
        } finally {
            blackhole.setEnabled(false);
        }
    }

    @Test
    void aRateLimitedAccountCoolsDownAndTheOtherAccountServes() {
        FakeProviders.GAMMA.stubFor(post(urlEqualTo(CHAT)).withHeader("Authorization", equalTo("Bearer gamma-secret-1"))
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "60")
                        .withBody(ProviderResponses.openAiError("rate limited"))));
        for (int i = 0; i < 2; i++) {
            chatOnGamma().then().statusCode(200).header("X-Tiergate-Account", "g2");
        }
        int g1Calls = FakeProviders.GAMMA.findAll(postRequestedFor(urlEqualTo(CHAT))
                .withHeader("Authorization", equalTo("Bearer gamma-secret-1"))).size();
        assertThat(g1Calls).as("g1 is tried at most once, then cools down").isLessThanOrEqualTo(1);
        awaitSettlement().untilAsserted(() -> {
            assertThat(usage("g1").cooldownUntil()).isNotNull();
            assertThat(usage("g1").window(QuotaUnit.REQUESTS, QuotaWindow.DAY).used()).as("a 429 is refunded").isZero();
        });
    }

    @Test
    void withRedisDownAClosedProviderIsRefusedWhileProvidersWithoutQuotaStillServe() throws Exception {
        RedisServer.attached().stop();
        chatOnGamma().then().statusCode(503).body("attempts.outcome", hasItem("quota_unavailable"));
        given().contentType(ContentType.JSON).header("X-Tiergate-Provider", "beta").body(SIMPLE_CHAT).post(CHAT)
                .then().statusCode(200).header("X-Tiergate-Provider", "beta");
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'routing' }.data.quota_store", org.hamcrest.Matchers.equalTo("unreachable"));

        RedisServer.attached().restart();
        long deadline = System.currentTimeMillis() + 10_000;
        int status = 0;
        while (System.currentTimeMillis() < deadline && (status = chatOnGamma().statusCode()) != 200) {
            Thread.sleep(200);
        }
        assertThat(status).as("gamma serves again once Redis is back").isEqualTo(200);
    }

    @Test
    void providersWithoutLimitsNeverTouchTheQuotaStore() {
        RedisServer.attached().stop();
        given().contentType(ContentType.JSON).header("X-Tiergate-Provider", "alpha").body(SIMPLE_CHAT).post(CHAT)
                .then().statusCode(503); // alpha is not stubbed: only its own failures, no quota attempt
        Backend a1 = registry.find("alpha").orElseThrow().backends().get(0);
        assertThat(a1.provider().quotaLimited()).isFalse();
        given().contentType(ContentType.JSON).header("X-Tiergate-Provider", "alpha").body(SIMPLE_CHAT).post(CHAT)
                .then().body("attempts.outcome", org.hamcrest.Matchers.not(hasItem("quota_unavailable")));
    }
}
