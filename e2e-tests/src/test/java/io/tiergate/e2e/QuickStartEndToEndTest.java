package io.tiergate.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.restassured.http.ContentType;
import io.tiergate.audio.testing.BadAudioCorpus;
import io.tiergate.speech.fixtures.SharedAssets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Starts Tiergate exactly as the README's quick start does ({@code ./tiergate up}), with a stand-in
 * for a local OpenAI-compatible engine, and drives the running processes over HTTP.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QuickStartEndToEndTest {

    private static final WireMockServer LOCAL_ENGINE = new WireMockServer(wireMockConfig().dynamicPort());
    private static Launcher launcher;
    private static Launcher.Result up;

    @BeforeAll
    static void startTiergate() throws Exception {
        LOCAL_ENGINE.start();
        LOCAL_ENGINE.stubFor(get("/api/tags").willReturn(okJson("{\"models\":[{\"name\":\"llama3.2:1b\"}]}")));
        LOCAL_ENGINE.stubFor(post("/v1/chat/completions").willReturn(okJson("""
                {"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"llama3.2:1b",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Hi from the local engine"},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":9,"completion_tokens":6,"total_tokens":15}}
                """)));
        launcher = new Launcher(Map.of(
                "TIERGATE_PROVIDERS_OLLAMA_BASE_URL", LOCAL_ENGINE.baseUrl() + "/v1",
                "TIERGATE_PROVIDERS_OLLAMA_HEALTH_URL", LOCAL_ENGINE.baseUrl() + "/api/tags",
                "TIERGATE_ROUTER_ADMIN_TOKEN", "e2e-admin-token"));
        launcher.run("down");
        up = launcher.run("up");
        assertThat(up.exitCode()).as(up.output()).isZero();
    }

    @AfterAll
    static void stopTiergate() throws Exception {
        if (launcher != null) {
            Launcher.Result down = launcher.run("down");
            assertThat(down.exitCode()).as(down.output()).isZero();
            assertThat(launcher.run("status").output()).doesNotContain("ready");
        }
        LOCAL_ENGINE.stop();
    }

    private static String router() {
        return "http://127.0.0.1:" + Launcher.ROUTER_PORT;
    }

    @Test
    void upPrintsTheUrlsAndAWorkingExample() {
        assertThat(up.output()).contains(router() + "/v1").contains("curl -s " + router() + "/v1/route/explain");
        given().contentType(ContentType.JSON)
                .body("{\"messages\":[{\"role\":\"user\",\"content\":\"Explain step by step why the sky is blue\"}]}")
                .when().post(router() + "/v1/route/explain")
                .then().statusCode(200)
                .body("candidates.provider", hasItem("ollama"))
                .body("excluded.find { it.provider == 'groq' && it.account == 'org-a' }.reason", equalTo("no API key (environment variable GROQ_API_KEY is unset)"));
    }

    @Test
    void chatCompletionsAreRoutedToTheLocalEngineThroughRealProcesses() {
        given().contentType(ContentType.JSON)
                .body("{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hi\"}]}")
                .when().post(router() + "/v1/chat/completions")
                .then().statusCode(200)
                .header("X-Tiergate-Provider", "ollama")
                .header("X-Tiergate-Tier", "simple")
                .body("choices[0].message.content", equalTo("Hi from the local engine"));
        LOCAL_ENGINE.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
                .withRequestBody(WireMock.matchingJsonPath("$.model", WireMock.equalTo("llama3.2:1b"))));
    }

    @Test
    void adminChangesNeedTheTokenFromTheEnvironment() {
        given().contentType(ContentType.JSON).body("{\"enabled\":false}")
                .when().patch(router() + "/v1/providers/groq")
                .then().statusCode(401);
        given().contentType(ContentType.JSON).header("Authorization", "Bearer e2e-admin-token").body("{\"priority\":7}")
                .when().patch(router() + "/v1/providers/groq")
                .then().statusCode(200).body("priority", equalTo(7));
    }

    @Test
    void statusReportsEveryServiceReady() throws Exception {
        Launcher.Result status = launcher.run("status");
        assertThat(status.exitCode()).isZero();
        assertThat(status.output()).containsPattern("router\\s+ready").containsPattern("usage-tracker\\s+ready")
                .containsPattern("classification\\s+ready").containsPattern("transcription\\s+ready")
                .containsPattern("diarization\\s+ready")
                .containsPattern("redis\\s+running");
    }

    @Test
    void recordingsAreTranscribedOnTheLocalPodThroughTheRouter() {
        assertThat(up.output()).contains(router() + "/v1/audio/transcriptions");
        given().multiPart("file", SharedAssets.locate().resolve("asr/jfk.wav").toFile(), "audio/wav")
                .multiPart("response_format", "verbose_json")
                .when().post(router() + "/v1/audio/transcriptions")
                .then().statusCode(200)
                .header("X-Tiergate-Provider", "transcriber")
                .body("duration", equalTo(11.0f))
                .body("text", containsString("country"));
    }

    /** The router passes the form on as sent; the pod finds one speaker when told there is one, in RTTM as asked. */
    @Test
    void recordingsAreDiarizedOnTheLocalPodThroughTheRouter() {
        assertThat(up.output()).contains(router() + "/v1/audio/diarizations");
        String rttm = given().multiPart("file", SharedAssets.locate().resolve("asr/jfk.wav").toFile(), "audio/wav")
                .multiPart("num_speakers", "1").multiPart("response_format", "rttm")
                .when().post(router() + "/v1/audio/diarizations")
                .then().statusCode(200)
                .header("X-Tiergate-Provider", "diarizer")
                .extract().asString();
        assertThat(rttm.lines()).isNotEmpty().allMatch(line -> line.matches("SPEAKER jfk 1 [0-9.]+ [0-9.]+ <NA> <NA> \\S+ <NA> <NA>"));
        assertThat(rttm.lines().map(line -> line.split(" ")[7]).distinct()).hasSize(1);
        given().multiPart("file", SharedAssets.locate().resolve("asr/jfk.wav").toFile(), "audio/wav")
                .multiPart("min_speakers", "3").multiPart("max_speakers", "2")
                .when().post(router() + "/v1/audio/diarizations")
                .then().statusCode(400).body("field", equalTo("min_speakers"));
    }

    @Test
    void badRecordingsAreRefusedByTheRouterAndThePodAndThePodStaysReady() throws Exception {
        String pod = "http://127.0.0.1:" + (8083 + Launcher.PORT_OFFSET);
        for (BadAudioCorpus.Case entry : BadAudioCorpus.writeTo(Files.createTempDirectory("bad-audio"))) {
            // The too-long cases are long only against the corpus's own 5 s limit; these services take hours.
            if (entry.accepted() || entry.status() == 413) {
                continue;
            }
            for (String base : new String[] {router(), pod}) {
                given().multiPart("file", entry.file().toFile(), "application/octet-stream")
                        .when().post(base + "/v1/audio/transcriptions")
                        .then().statusCode(entry.status()).body("field", equalTo("file"));
            }
        }
        given().when().get(pod + "/q/health/ready").then().statusCode(200);
    }

    @Test
    void transcriptLinesAreClassifiedOnTheLocalPodThroughTheRouter() {
        assertThat(up.output()).contains(router() + "/v1/classifications");
        given().contentType(ContentType.JSON)
                .body("{\"task\":\"ic-ooc\",\"inputs\":[{\"speaker\":\"SAM\",\"text\":\"I roll for initiative.\"},"
                        + "{\"speaker\":\"MATT\",\"text\":\"The door creaks open and cold air spills out.\"}]}")
                .when().post(router() + "/v1/classifications")
                .then().statusCode(200)
                .header("X-Tiergate-Provider", "classifier")
                .body("results.size()", equalTo(2))
                .body("results.label", org.hamcrest.Matchers.everyItem(org.hamcrest.Matchers.isOneOf("IC", "OOC")));
    }

    @Test
    void theUsageTrackerReportsTheSharedConfigurationsAccounts() {
        given().when().get("http://127.0.0.1:" + (8081 + Launcher.PORT_OFFSET) + "/v1/usage")
                .then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("org-a"));
        given().when().get(router() + "/q/health/ready")
                .then().statusCode(200)
                .body("checks.find { it.name == 'routing' }.data.quota_store", equalTo("reachable"));
    }

    private static long tokensUsedToday(String provider, String account) {
        return given().when().get("http://127.0.0.1:" + (8081 + Launcher.PORT_OFFSET) + "/v1/usage?provider=" + provider)
                .then().statusCode(200).body("source", equalTo("redis"))
                .extract().jsonPath().getLong("providers.find { it.provider == '" + provider + "' }.accounts.find { it.account == '"
                        + account + "' }.windows.find { it.unit == 'tokens' && it.window == 'day' }.used");
    }

    /** up generated the tracker's service token into its run directory and gave it to the tracker only. */
    @Test
    void theTrackerTakesChangesOnlyWithTheTokenUpGenerated() throws Exception {
        String tracker = "http://127.0.0.1:" + (8081 + Launcher.PORT_OFFSET);
        assertThat(up.output()).contains("tracker service token").contains("usage-tracker.token");
        given().contentType("application/json").body("{\"provider\":\"groq\",\"accounts\":[\"org-a\"]}")
                .when().post(tracker + "/v1/reservations")
                .then().statusCode(401).header("WWW-Authenticate", org.hamcrest.Matchers.startsWith("Bearer"));
        String id = given().auth().oauth2(trackerToken()).contentType("application/json").body("{\"provider\":\"groq\",\"accounts\":[\"org-a\"]}")
                .when().post(tracker + "/v1/reservations")
                .then().statusCode(201).extract().path("reservation_id");
        given().auth().oauth2(trackerToken()).when().delete(tracker + "/v1/reservations/" + id).then().statusCode(200);
    }

    private static String trackerToken() throws Exception {
        return Files.readString(runDir().resolve("usage-tracker.token")).trim();
    }

    private static Path runDir() {
        return Path.of(System.getenv().getOrDefault("TIERGATE_REPO", "..")).toAbsolutePath().normalize().resolve("e2e-tests/target/e2e-run");
    }

    /** Runs last: it restarts Redis under the running services. */
    @Test
    @Order(Integer.MAX_VALUE)
    void quotaCountsSurviveARedisCrashAndRestart() throws Exception {
        String tracker = "http://127.0.0.1:" + (8081 + Launcher.PORT_OFFSET);
        long before = tokensUsedToday("groq", "org-a");
        String id = given().auth().oauth2(trackerToken()).contentType("application/json")
                .body("{\"provider\":\"groq\",\"accounts\":[\"org-a\"],\"tokens\":1234}")
                .when().post(tracker + "/v1/reservations")
                .then().statusCode(201).extract().path("reservation_id");
        given().auth().oauth2(trackerToken()).contentType("application/json").body("{\"tokens\":1234}")
                .when().post(tracker + "/v1/reservations/" + id + "/commit")
                .then().statusCode(200);
        assertThat(tokensUsedToday("groq", "org-a")).isEqualTo(before + 1234);

        Thread.sleep(1500); // the append-only file is written to disk every second
        Path pidFile = runDir().resolve("redis.pid");
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));

        assertThat(launcher.run("up").exitCode()).isZero();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .untilAsserted(() -> assertThat(tokensUsedToday("groq", "org-a")).isEqualTo(before + 1234));
    }
}
