package io.tiergate.router;

import static com.github.tomakehurst.wiremock.client.WireMock.aMultipart;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.binaryEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.tiergate.quota.QuotaLedger;
import io.tiergate.quota.QuotaUnit;
import io.tiergate.quota.QuotaWindow;
import io.tiergate.quota.UsageReport;
import io.tiergate.router.providers.Backend;
import io.tiergate.router.providers.ProviderRegistry;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Transcriptions and translations routed to providers imitating each one's documented shape: Groq's and OpenAI's
 * {@code /audio/transcriptions} and {@code /audio/translations} forms, Hugging Face's raw-body speech recognition and a
 * Tiergate transcription pod; recordings probed with the real ffprobe. See {@link ExtraProvidersProfile} for the
 * providers: groq-audio, then openai-audio (which JFK's recording is too large for), hf-asr and transcriber.
 */
@QuarkusTest
@TestProfile(ExtraProvidersProfile.class)
@QuarkusTestResource(value = FakeProviders.class, restrictToAnnotatedClass = false)
class AudioRoutingTest {

    private static final String TRANSCRIPTIONS = "/v1/audio/transcriptions";
    private static final String TRANSLATIONS = "/v1/audio/translations";
    private static final String GROQ_TRANSCRIPTIONS = "/openai/v1/audio/transcriptions";
    private static final String GROQ_TRANSLATIONS = "/openai/v1/audio/translations";
    private static final String HF_MODEL = "/hf-inference/models/openai/whisper-large-v3-turbo";
    private static final String POD_TRANSLATIONS = "/v1/audio/translations";
    private static final String JFK_TEXT =
            "And so my fellow Americans, ask not what your country can do for you, ask what you can do for your country.";
    /** Hugging Face's answer: the text, with chunks where the endpoint gives them (the last one's end open). */
    private static final String HF_ANSWER = """
            {"text":" And so my fellow Americans, ask not what your country can do for you, ask what you can do for your country.",
             "chunks":[{"text":" And so my fellow Americans,","timestamp":[0.0,2.5]},
                       {"text":" ask not what your country can do for you, ask what you can do for your country.","timestamp":[2.5,null]}]}
            """;

    @Inject
    ProviderRegistry registry;

    @Inject
    QuotaLedger ledger;

    @BeforeEach
    void reset() {
        RouterTestSupport.reset(registry);
        RouterTestSupport.flushLedgerWhenSettled(registry, ledger);
    }

    private static RequestSpecification jfk() {
        return given().multiPart("file", "jfk.wav", Recordings.JFK, "audio/wav");
    }

    @Test
    void anOpenAiShapedProviderGetsTheRecordingByteForByteWithItsOwnModelForTheTier() {
        FakeProviders.GROQ_AUDIO.stubFor(post(urlEqualTo(GROQ_TRANSCRIPTIONS)).willReturn(okJson("{\"text\":\"" + JFK_TEXT + "\"}")));

        jfk().multiPart("model", "auto").multiPart("language", "en").multiPart("prompt", "A speech by JFK")
                .multiPart("response_format", "json")
                .when().post(TRANSCRIPTIONS)
                .then().statusCode(200)
                .header("X-Tiergate-Provider", "groq-audio")
                .header("X-Tiergate-Tier", "simple")
                .body("text", equalTo(JFK_TEXT));

        FakeProviders.GROQ_AUDIO.verify(1, postRequestedFor(urlEqualTo(GROQ_TRANSCRIPTIONS))
                .withHeader("Authorization", WireMock.equalTo("Bearer " + ExtraProvidersProfile.GROQ_KEY))
                .withHeader("Content-Type", WireMock.matching("multipart/form-data; boundary=tiergate-[0-9a-f]{32}"))
                .withRequestBodyPart(aMultipart().withName("file").withBody(binaryEqualTo(Recordings.JFK))
                        .withHeader("Content-Disposition", containing("filename=\"jfk.wav\""))
                        .withHeader("Content-Type", WireMock.equalTo("audio/wav")).build())
                .withRequestBodyPart(aMultipart().withName("model").withBody(WireMock.equalTo("whisper-large-v3-turbo")).build())
                .withRequestBodyPart(aMultipart().withName("language").withBody(WireMock.equalTo("en")).build())
                .withRequestBodyPart(aMultipart().withName("prompt").withBody(WireMock.equalTo("A speech by JFK")).build()));
    }

    @Test
    void aFailingProviderFallsBackToTheNextThatCanTakeTheFile() {
        FakeProviders.GROQ_AUDIO.stubFor(post(urlEqualTo(GROQ_TRANSCRIPTIONS)).willReturn(aResponse().withStatus(503)));
        FakeProviders.HF.stubFor(post(urlEqualTo(HF_MODEL)).willReturn(okJson(HF_ANSWER)));

        jfk().when().post(TRANSCRIPTIONS)
                .then().statusCode(200)
                .header("X-Tiergate-Provider", "hf-asr")
                .header("X-Tiergate-Attempts", "4")
                .body("text", equalTo(JFK_TEXT));

        FakeProviders.GROQ_AUDIO.verify(3, postRequestedFor(urlEqualTo(GROQ_TRANSCRIPTIONS)));
        FakeProviders.OPENAI_AUDIO.verify(0, anyRequestedFor(anyUrl()));
        FakeProviders.HF.verify(1, postRequestedFor(urlEqualTo(HF_MODEL))
                .withHeader("Content-Type", WireMock.equalTo("audio/wav"))
                .withHeader("Authorization", WireMock.equalTo("Bearer hf-audio-secret"))
                .withRequestBody(binaryEqualTo(Recordings.JFK)));
        assertThat(audioUsage(QuotaWindow.HOUR).used()).as("failed calls are refunded").isZero();
    }

    @Test
    void explainShowsTheAudioFeaturesAndLeavesOutTheProviderTheFileIsTooLargeFor() {
        jfk().when().post("/v1/route/explain/audio/transcriptions")
                .then().statusCode(200)
                .body("capability", equalTo("transcription"))
                .body("features.find { it.name == 'duration_seconds' }.value", equalTo((float) Recordings.JFK_SECONDS))
                .body("features.find { it.name == 'audio_bytes' }.value", equalTo((float) Recordings.JFK.length))
                .body("features.find { it.name == 'unknown_language' }.value", equalTo(1.0f))
                .body("features.find { it.name == 'word_timestamps' }.value", equalTo(0.0f))
                .body("estimated_usage.audio_seconds", equalTo(11))
                .body("candidates.provider", equalTo(List.of("groq-audio", "hf-asr", "transcriber")))
                .body("candidates[0].model", equalTo("whisper-large-v3-turbo"))
                .body("excluded.find { it.provider == 'openai-audio' }.reason",
                        equalTo("file too large: 352078 bytes, over its max-audio-bytes of 300000"));

        // Word timestamps are more work (medium), and Hugging Face's speech recognition cannot give them.
        jfk().multiPart("response_format", "verbose_json").multiPart("timestamp_granularities[]", "word")
                .when().post("/v1/route/explain/audio/transcriptions")
                .then().statusCode(200)
                .body("tier", equalTo("medium"))
                .body("features.find { it.name == 'word_timestamps' }.value", equalTo(1.0f))
                .body("candidates.provider", not(hasItem("hf-asr")))
                .body("excluded.find { it.provider == 'hf-asr' }.reason", containsString("word timestamps"));
        assertNothingSent();
    }

    /** The medium tier orders by cost here: the free Hugging Face account and pod before Groq's 0.2 cents a minute. */
    @Test
    void audioIsCostedPerMinuteInCompareCostAndTheCostStrategy() {
        Number groqCost = jfk().when().post("/v1/providers/compare-cost/audio/transcriptions")
                .then().statusCode(200)
                .body("estimated_audio_seconds", equalTo(11))
                .body("providers.provider", equalTo(List.of("hf-asr", "transcriber", "groq-audio")))
                .extract().path("providers.find { it.provider == 'groq-audio' }.estimated_cost_usd");
        assertThat(groqCost.doubleValue()).isCloseTo(11 * 0.002 / 60, within(1e-9));

        jfk().header("X-Tiergate-Tier", "medium").when().post("/v1/route/explain/audio/transcriptions")
                .then().statusCode(200)
                .body("candidates.provider", equalTo(List.of("hf-asr", "transcriber", "groq-audio")));
        assertNothingSent();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            json         | application/json
            verbose_json | application/json
            srt          | application/x-subrip
            """)
    void huggingFaceAnswersAreWrittenInTheCallersResponseFormat(String format, String contentType) {
        FakeProviders.HF.stubFor(post(urlEqualTo(HF_MODEL)).willReturn(okJson(HF_ANSWER)));

        Response response = jfk().header("X-Tiergate-Provider", "hf-asr").multiPart("language", "en")
                .multiPart("response_format", format)
                .when().post(TRANSCRIPTIONS);

        response.then().statusCode(200).header("X-Tiergate-Provider", "hf-asr").contentType(startsWith(contentType));
        switch (format) {
            case "json" -> response.then().body("text", equalTo(JFK_TEXT)).body("size()", equalTo(1));
            case "verbose_json" -> response.then()
                    .body("task", equalTo("transcribe"))
                    .body("language", equalTo("english"))
                    .body("duration", equalTo((float) Recordings.JFK_SECONDS))
                    .body("text", equalTo(JFK_TEXT))
                    .body("segments.start", equalTo(List.of(0.0f, 2.5f)))
                    .body("segments.end", equalTo(List.of(2.5f, 11.0f)))
                    .body("segments[0].text", equalTo("And so my fellow Americans,"));
            default -> assertThat(response.asString()).isEqualTo("""
                    1
                    00:00:00,000 --> 00:00:02,500
                    And so my fellow Americans,

                    2
                    00:00:02,500 --> 00:00:11,000
                    ask not what your country can do for you, ask what you can do for your country.

                    """);
        }
    }

    /**
     * Groq's turbo model refuses translations: the request goes on to the pod, and the refusal counts neither against
     * Groq's breaker (three in a row would open it) nor against its quota.
     */
    @Test
    void aTranslationABackendCannotDoGoesToTheNextWithoutCountingAgainstIt() {
        FakeProviders.GROQ_AUDIO.stubFor(post(urlEqualTo(GROQ_TRANSLATIONS)).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"message\":\"`whisper-large-v3-turbo` does not support translations\","
                        + "\"type\":\"invalid_request_error\",\"param\":\"model\",\"code\":\"model_not_supported\"}}")));
        FakeProviders.POD.stubFor(post(urlEqualTo(POD_TRANSLATIONS)).willReturn(okJson("{\"text\":\"" + JFK_TEXT + "\"}")));

        for (int i = 0; i < 3; i++) {
            jfk().when().post(TRANSLATIONS)
                    .then().statusCode(200)
                    .header("X-Tiergate-Provider", "transcriber")
                    .header("X-Tiergate-Attempts", "2")
                    .body("text", equalTo(JFK_TEXT));
        }

        FakeProviders.GROQ_AUDIO.verify(3, postRequestedFor(urlEqualTo(GROQ_TRANSLATIONS)));
        jfk().when().post("/v1/route/explain/audio/translations")
                .then().statusCode(200)
                .body("candidates.provider", equalTo(List.of("groq-audio", "transcriber")))
                .body("excluded.find { it.provider == 'hf-asr' }.reason", equalTo("lacks capability translation"));
        assertThat(audioUsage(QuotaWindow.HOUR).used()).isZero();
        assertThat(audioUsage(QuotaWindow.HOUR).reserved()).isZero();
    }

    /** A backend that does not know the language (a pod's English-only engine) passes the request on to the next. */
    @Test
    void aTranscriptionInALanguageABackendDoesNotKnowGoesToTheNext() {
        FakeProviders.GROQ_AUDIO.stubFor(post(urlEqualTo(GROQ_TRANSCRIPTIONS)).willReturn(aResponse().withStatus(422)
                .withHeader("Content-Type", "application/problem+json")
                .withBody("{\"type\":\"https://tiergate.io/problems/language-unsupported\",\"title\":\"Language unsupported\","
                        + "\"status\":422,\"field\":\"language\",\"detail\":\"the pocketsphinx engine transcribes en, not 'fr'\"}")));
        FakeProviders.HF.stubFor(post(urlEqualTo(HF_MODEL)).willReturn(okJson(HF_ANSWER)));

        jfk().multiPart("language", "fr").when().post(TRANSCRIPTIONS)
                .then().statusCode(200)
                .header("X-Tiergate-Provider", "hf-asr")
                .header("X-Tiergate-Attempts", "2");
    }

    @Test
    void whenEveryBackendDeclinesATranslationTheCallerGetsTheLastRefusal() {
        FakeProviders.GROQ_AUDIO.stubFor(post(urlEqualTo(GROQ_TRANSLATIONS)).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"message\":\"translation is not supported for this model\",\"type\":\"invalid_request_error\"}}")));
        FakeProviders.POD.stubFor(post(urlEqualTo(POD_TRANSLATIONS)).willReturn(aResponse().withStatus(422)
                .withHeader("Content-Type", "application/problem+json")
                .withBody("{\"type\":\"https://tiergate.io/problems/translation-unsupported\",\"title\":\"Translation unsupported\","
                        + "\"status\":422,\"detail\":\"The pod's model is English-only and cannot translate\"}")));

        jfk().when().post(TRANSLATIONS)
                .then().statusCode(422)
                .contentType("application/problem+json")
                .header("X-Tiergate-Provider", "transcriber")
                .header("X-Tiergate-Attempts", "2")
                .body("type", equalTo("https://tiergate.io/problems/translation-unsupported"))
                .body("detail", containsString("English-only"));
    }

    /**
     * groq-audio allows 30 audio seconds an hour: each call holds JFK's probed 11 s while it runs and counts the 9.5 s
     * (10, rounded up) Groq reports; the third call finds 10 s left and is refused until the hour ends.
     */
    @Test
    void audioSecondsAreReservedFromTheProbedLengthAndCommittedAsReportedUntilTheHourIsFull() throws Exception {
        Instant hourEnd = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
        if (Duration.between(Instant.now(), hourEnd).toSeconds() < 20) {
            Thread.sleep(Duration.between(Instant.now(), hourEnd).toMillis() + 100);
            hourEnd = hourEnd.plus(Duration.ofHours(1));
        }
        String verbose = "{\"task\":\"transcribe\",\"language\":\"english\",\"duration\":9.5,\"text\":\"" + JFK_TEXT + "\",\"segments\":[]}";
        FakeProviders.GROQ_AUDIO.stubFor(post(urlEqualTo(GROQ_TRANSCRIPTIONS)).willReturn(okJson(verbose).withFixedDelay(1000)));
        UnaryOperator<RequestSpecification> onGroq = spec -> spec.header("X-Tiergate-Provider", "groq-audio")
                .multiPart("response_format", "verbose_json");

        CompletableFuture<Response> first = CompletableFuture.supplyAsync(() -> onGroq.apply(jfk()).post(TRANSCRIPTIONS));
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> assertThat(audioUsage(QuotaWindow.HOUR).reserved()).as("held while the call runs").isEqualTo(11));
        assertThat(first.get().statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(audioUsage(QuotaWindow.HOUR).used()).as("the reported 9.5 s, rounded up").isEqualTo(10);
            assertThat(audioUsage(QuotaWindow.HOUR).reserved()).isZero();
        });
        onGroq.apply(jfk()).post(TRANSCRIPTIONS).then().statusCode(200);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(audioUsage(QuotaWindow.HOUR).used()).isEqualTo(20));

        Response refused = onGroq.apply(jfk()).post(TRANSCRIPTIONS);
        refused.then().statusCode(429)
                .contentType("application/problem+json")
                .body("attempts.outcome", hasItem("quota_exhausted"));
        long untilHourEnd = Duration.between(Instant.now(), hourEnd).toSeconds();
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(untilHourEnd - 2, untilHourEnd + 2);
        FakeProviders.GROQ_AUDIO.verify(2, postRequestedFor(urlEqualTo(GROQ_TRANSCRIPTIONS)));
        jfk().header("X-Tiergate-Provider", "groq-audio").when().post("/v1/route/explain/audio/transcriptions")
                .then().statusCode(200)
                .body("excluded.find { it.provider == 'groq-audio' }.reason",
                        startsWith("quota exhausted: audio_seconds per hour (20/30) until " + hourEnd + "; this request needs 11"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
            a JSON body                          | json       | 415 | Content-Type
            a URL-encoded form                   | urlencoded | 415 | Content-Type
            a form without its boundary          | no-bound   | 400 | Content-Type
            a form with an empty boundary        | empty-bound | 400 | Content-Type
            a form with an unknown charset       | bad-charset | 400 | Content-Type
            a part without a name                | nameless   | 400 | Content-Disposition
            a form cut off inside its file       | cut        | 400 | file
            a text field over 64 KiB             | long       | 400 | prompt
            a form without a file                | no-file    | 400 | file
            a file sent as a text field          | text-file  | 400 | file
            a temperature out of range           | jfk        | 400 | temperature
            an unknown response format           | jfk        | 400 | response_format
            word timestamps without verbose_json | jfk        | 400 | timestamp_granularities[]
            a streamed transcription             | jfk        | 400 | stream
            text instead of audio                | not-audio  | 400 | file
            """)
    void badInputIsAProblemNamingTheFieldAndNothingIsSent(String what, String body, int status, String field) {
        RequestSpecification request = switch (body) {
            case "json" -> given().contentType("application/json").body("{\"file\":\"jfk.wav\",\"model\":\"auto\"}");
            case "urlencoded" -> given().contentType("application/x-www-form-urlencoded").formParam("model", "auto");
            case "no-bound" -> given().header("Content-Type", "multipart/form-data").body("--x\r\n\r\n--x--\r\n".getBytes(StandardCharsets.UTF_8));
            case "empty-bound" -> given().header("Content-Type", "multipart/form-data; boundary=").body("x".getBytes(StandardCharsets.UTF_8));
            case "bad-charset" -> given().header("Content-Type", "multipart/form-data; boundary=x; charset=bogus")
                    .body("--x\r\n\r\n--x--\r\n".getBytes(StandardCharsets.UTF_8));
            case "long" -> jfk().multiPart("prompt", "a".repeat(70_000));
            case "nameless", "cut" -> given().header("Content-Type", "multipart/form-data; boundary=XB").body(("--XB\r\n"
                    + (body.equals("cut") ? "Content-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n\r\nRIFF"
                            : "Content-Disposition: form-data\r\n\r\nauto\r\n--XB--\r\n")).getBytes(StandardCharsets.UTF_8));
            case "no-file" -> given().multiPart("model", "auto");
            case "text-file" -> given().multiPart("file", "RIFF....WAVE");
            case "not-audio" -> given().multiPart("file", "notes.wav", "these are not samples".getBytes(StandardCharsets.UTF_8),
                    "audio/wav");
            default -> switch (field) {
                case "temperature" -> jfk().multiPart("temperature", "3");
                case "response_format" -> jfk().multiPart("response_format", "docx");
                case "stream" -> jfk().multiPart("stream", "true");
                default -> jfk().multiPart("timestamp_granularities[]", "word");
            };
        };

        request.when().post(TRANSCRIPTIONS)
                .then().statusCode(status)
                .contentType("application/problem+json")
                .body("field", equalTo(field))
                .body("error.param", equalTo(field));
        assertNothingSent();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(spoolFiles()).as("the upload and its recording").isZero());
    }

    private static long spoolFiles() throws IOException {
        if (!Files.isDirectory(ExtraProvidersProfile.SPOOL)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(ExtraProvidersProfile.SPOOL)) {
            return files.count();
        }
    }

    private static void assertNothingSent() {
        for (WireMockServer server : List.of(FakeProviders.GROQ_AUDIO, FakeProviders.OPENAI_AUDIO, FakeProviders.HF, FakeProviders.POD)) {
            server.verify(0, anyRequestedFor(anyUrl()));
        }
    }

    private UsageReport.WindowUsage audioUsage(QuotaWindow window) {
        List<io.tiergate.quota.AccountQuota> quotas = registry.find("groq-audio").orElseThrow().backends().stream()
                .map(Backend::quota).map(quota -> quota.orElseThrow()).toList();
        return ledger.report(quotas).await().atMost(Duration.ofSeconds(5)).accounts().get(0).window(QuotaUnit.AUDIO_SECONDS, window);
    }
}
