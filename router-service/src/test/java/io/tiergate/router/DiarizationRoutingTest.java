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
import static org.hamcrest.Matchers.startsWith;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
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
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Diarizations routed to a Tiergate diarization pod ({@code diarizer}, the form passed on as sent) and to OpenAI's
 * gpt-4o-transcribe-diarize ({@code openai-diarize}, OpenAI's transcription form, its {@code diarized_json} written as
 * the pod's answer), imitated by WireMock in their documented shapes; recordings probed with the real ffprobe. See
 * {@link ExtraProvidersProfile}: openai-diarize takes recordings up to 10 s, so JFK's 11 s go to the pod only and a
 * 5-second one to either.
 */
@QuarkusTest
@TestProfile(ExtraProvidersProfile.class)
@QuarkusTestResource(value = FakeProviders.class, restrictToAnnotatedClass = false)
class DiarizationRoutingTest {

    private static final String DIARIZATIONS = "/v1/audio/diarizations";
    private static final String POD_DIARIZATIONS = "/v1/audio/diarizations";
    private static final String OPENAI_TRANSCRIPTIONS = "/v1/audio/transcriptions";
    private static final String POD_ANSWER = """
            {"duration":11.0,"speakers":["SPEAKER_00"],"segments":[{"speaker":"SPEAKER_00","start":0.3,"end":10.6}],
             "overlap":[],"engine":"embedded"}""";
    /** OpenAI's diarized_json, as its API reference gives it: segments with their speaker, usage in seconds. */
    private static final String DIARIZED_JSON = """
            {"task":"transcribe","duration":5.0,"text":"Hi there. Hello! Bye.",
             "segments":[{"type":"transcript.text.segment","id":"seg_0","start":0.2,"end":2.0,"text":" Hi there.","speaker":"Ana Lima"},
                         {"type":"transcript.text.segment","id":"seg_1","start":1.5,"end":3.0,"text":" Hello!","speaker":"B"},
                         {"type":"transcript.text.segment","id":"seg_2","start":3.5,"end":4.5,"text":" Bye.","speaker":"Ana Lima"}],
             "usage":{"type":"duration","seconds":7}}""";
    private static final byte[] SHORT = fiveSeconds();
    /** A reference clip as OpenAI takes it, a data URL: longer than the 64 KiB other text fields may be. */
    private static final String REFERENCE = "data:audio/wav;base64," + "UklGRg".repeat(20_000);
    private static final String VERBOSE_TRANSCRIPT = "{\"text\":\"ask not\",\"segments\":[{\"id\":0,\"start\":0.0,\"end\":11.0,\"text\":\"ask not\"}]}";

    @Inject
    ProviderRegistry registry;

    @Inject
    QuotaLedger ledger;

    @TestHTTPResource("/")
    URL router;

    @BeforeEach
    void reset() {
        RouterTestSupport.reset(registry);
        RouterTestSupport.flushLedgerWhenSettled(registry, ledger);
    }

    private static byte[] fiveSeconds() {
        try {
            Path dir = Files.createTempDirectory("diarization-routing");
            byte[] bytes = Files.readAllBytes(Recordings.silence(dir, 5));
            try (Stream<Path> files = Files.list(dir)) {
                files.forEach(file -> file.toFile().delete());
            }
            Files.delete(dir);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static RequestSpecification jfk() {
        return given().multiPart("file", "jfk.wav", Recordings.JFK, "audio/wav");
    }

    private static RequestSpecification meeting() {
        return given().multiPart("file", "team meeting.wav", SHORT, "audio/wav");
    }

    @Test
    void thePodGetsTheCallersFormUnchangedTranscriptFileIncluded() {
        FakeProviders.POD.stubFor(post(urlEqualTo(POD_DIARIZATIONS)).willReturn(okJson(POD_ANSWER)));
        byte[] transcript = VERBOSE_TRANSCRIPT.getBytes(StandardCharsets.UTF_8);

        jfk().multiPart("model", "auto").multiPart("num_speakers", "2")
                .multiPart("transcript", "jfk.verbose.json", transcript, "application/json")
                .when().post(DIARIZATIONS)
                .then().statusCode(200)
                .header("X-Tiergate-Provider", "diarizer")
                .header("X-Tiergate-Tier", "simple")
                .body("engine", equalTo("embedded"))
                .body("segments[0].speaker", equalTo("SPEAKER_00"));

        FakeProviders.POD.verify(1, postRequestedFor(urlEqualTo(POD_DIARIZATIONS))
                .withRequestBodyPart(aMultipart().withName("file").withBody(binaryEqualTo(Recordings.JFK))
                        .withHeader("Content-Disposition", containing("filename=\"jfk.wav\"")).build())
                .withRequestBodyPart(aMultipart().withName("model").withBody(WireMock.equalTo("auto")).build())
                .withRequestBodyPart(aMultipart().withName("num_speakers").withBody(WireMock.equalTo("2")).build())
                .withRequestBodyPart(aMultipart().withName("transcript").withBody(binaryEqualTo(transcript))
                        .withHeader("Content-Disposition", containing("filename=\"jfk.verbose.json\""))
                        .withHeader("Content-Type", WireMock.equalTo("application/json")).build()));
        FakeProviders.OPENAI_AUDIO.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aTranscriptSentAsTextTakesAsMuchAsThePodTakesNotTheOtherFieldsLimit() {
        FakeProviders.POD.stubFor(post(urlEqualTo(POD_DIARIZATIONS)).willReturn(okJson(POD_ANSWER)));
        // A long meeting's verbose_json as a text field: longer than the 64 KiB other text fields may be.
        String transcript = "{\"text\":\"" + "ask not ".repeat(12_000) + "\",\"segments\":[{\"id\":0,\"start\":0.0,"
                + "\"end\":11.0,\"text\":\"ask not\"}]}";

        jfk().multiPart("transcript", transcript).when().post(DIARIZATIONS).then().statusCode(200);

        FakeProviders.POD.verify(1, postRequestedFor(urlEqualTo(POD_DIARIZATIONS))
                .withRequestBodyPart(aMultipart().withName("transcript").withBody(WireMock.equalTo(transcript)).build()));
    }

    /**
     * The pod fails, so the recording goes to OpenAI with OpenAI's documented diarization form, and its diarized_json
     * comes back as the pod's JSON: speakers in order, each segment's text, overlap where two segments overlap.
     */
    @Test
    void aFailingPodFallsBackToOpenAiWhoseDiarizedJsonIsWrittenAsThePodsAnswer() {
        FakeProviders.POD.stubFor(post(urlEqualTo(POD_DIARIZATIONS)).willReturn(aResponse().withStatus(503)));
        FakeProviders.OPENAI_AUDIO.stubFor(post(urlEqualTo(OPENAI_TRANSCRIPTIONS)).willReturn(okJson(DIARIZED_JSON)));

        meeting().multiPart("min_speakers", "2").multiPart("known_speaker_names[]", "Ana Lima")
                .multiPart("known_speaker_references[]", REFERENCE)
                .when().post(DIARIZATIONS)
                .then().statusCode(200)
                .contentType(startsWith("application/json"))
                .header("X-Tiergate-Provider", "openai-diarize")
                .header("X-Tiergate-Attempts", "4")
                .body("duration", equalTo(5.0f))
                .body("speakers", equalTo(List.of("Ana Lima", "B")))
                .body("segments.speaker", equalTo(List.of("Ana Lima", "B", "Ana Lima")))
                .body("segments.text", equalTo(List.of("Hi there.", "Hello!", "Bye.")))
                .body("segments[1].start", equalTo(1.5f))
                .body("overlap[0].start", equalTo(1.5f))
                .body("overlap[0].end", equalTo(2.0f))
                .body("overlap[0].speakers", equalTo(List.of("Ana Lima", "B")))
                .body("engine", equalTo("transcript"));

        FakeProviders.POD.verify(3, postRequestedFor(urlEqualTo(POD_DIARIZATIONS)));
        FakeProviders.OPENAI_AUDIO.verify(1, postRequestedFor(urlEqualTo(OPENAI_TRANSCRIPTIONS))
                .withHeader("Authorization", WireMock.equalTo("Bearer openai-audio-secret"))
                .withRequestBodyPart(aMultipart().withName("file").withBody(binaryEqualTo(SHORT))
                        .withHeader("Content-Disposition", containing("filename=\"team meeting.wav\"")).build())
                .withRequestBodyPart(aMultipart().withName("model").withBody(WireMock.equalTo(ExtraProvidersProfile.DIARIZE_MODEL)).build())
                .withRequestBodyPart(aMultipart().withName("response_format").withBody(WireMock.equalTo("diarized_json")).build())
                .withRequestBodyPart(aMultipart().withName("chunking_strategy").withBody(WireMock.equalTo("auto")).build())
                .withRequestBodyPart(aMultipart().withName("known_speaker_names[]").withBody(WireMock.equalTo("Ana Lima")).build())
                .withRequestBodyPart(aMultipart().withName("known_speaker_references[]")
                        .withBody(WireMock.equalTo(REFERENCE)).build()));
        String sent = FakeProviders.OPENAI_AUDIO.getAllServeEvents().get(0).getRequest().getBodyAsString();
        assertThat(sent).as("OpenAI takes no speaker count").doesNotContain("min_speakers");
    }

    @Test
    void openAisDiarizedJsonIsWrittenAsRttmForACallerAskingForIt() {
        FakeProviders.OPENAI_AUDIO.stubFor(post(urlEqualTo(OPENAI_TRANSCRIPTIONS)).willReturn(okJson(DIARIZED_JSON)));

        Response response = meeting().header("X-Tiergate-Provider", "openai-diarize").multiPart("response_format", "rttm")
                .when().post(DIARIZATIONS);

        response.then().statusCode(200).contentType(startsWith("text/plain")).header("X-Tiergate-Provider", "openai-diarize");
        assertThat(response.asString()).isEqualTo("""
                SPEAKER team_meeting 1 0.200 1.800 <NA> <NA> Ana_Lima <NA> <NA>
                SPEAKER team_meeting 1 1.500 1.500 <NA> <NA> B <NA> <NA>
                SPEAKER team_meeting 1 3.500 1.000 <NA> <NA> Ana_Lima <NA> <NA>
                """);
    }

    @Test
    void explainShowsTheDiarizationFeaturesAndLeavesOutTheProviderTheRecordingIsTooLongFor() {
        jfk().when().post("/v1/route/explain/audio/diarizations")
                .then().statusCode(200)
                .body("capability", equalTo("diarization"))
                .body("tier", equalTo("simple"))
                .body("features.find { it.name == 'duration_seconds' }.value", equalTo((float) Recordings.JFK_SECONDS))
                .body("features.find { it.name == 'audio_bytes' }.value", equalTo((float) Recordings.JFK.length))
                .body("features.find { it.name == 'speakers_asked' }.value", equalTo(0.0f))
                .body("features.find { it.name == 'unknown_speaker_count' }.contribution", equalTo(1.0f))
                .body("features.find { it.name == 'overlap_expected' }.value", equalTo(0.0f))
                .body("estimated_usage.audio_seconds", equalTo(11))
                .body("candidates.provider", equalTo(List.of("diarizer")))
                .body("excluded.find { it.provider == 'openai-diarize' }.reason",
                        equalTo("recording too long: 11.0 s, over its max-audio-seconds of 10"));

        // Four speakers around a table: more clusters, and overlapped speech expected.
        jfk().multiPart("num_speakers", "4").when().post("/v1/route/explain/audio/diarizations")
                .then().statusCode(200)
                .body("tier", equalTo("medium"))
                .body("features.find { it.name == 'speakers_asked' }.value", equalTo(4.0f))
                .body("features.find { it.name == 'unknown_speaker_count' }.value", equalTo(0.0f))
                .body("features.find { it.name == 'overlap_expected' }.value", equalTo(1.0f))
                .body("features.find { it.name == 'overlap_expected' }.contribution", equalTo(2.0f));

        // OpenAI cannot be given the caller's transcript to attribute.
        meeting().multiPart("transcript", VERBOSE_TRANSCRIPT).when().post("/v1/route/explain/audio/diarizations")
                .then().statusCode(200)
                .body("candidates.provider", equalTo(List.of("diarizer")))
                .body("excluded.find { it.provider == 'openai-diarize' }.reason", containsString("transcript"));
        assertNothingSent();
    }

    @Test
    void diarizationIsCostedPerMinuteInCompareCost() {
        Number openAiCost = meeting().when().post("/v1/providers/compare-cost/audio/diarizations")
                .then().statusCode(200)
                .body("estimated_audio_seconds", equalTo(5))
                .body("providers.provider", equalTo(List.of("diarizer", "openai-diarize")))
                .extract().path("providers.find { it.provider == 'openai-diarize' }.estimated_cost_usd");
        assertThat(openAiCost.doubleValue()).isCloseTo(5 * 0.006 / 60, within(1e-9));
        assertNothingSent();
    }

    /**
     * The probed 5 s are held while OpenAI works, for as long as it does, past the reservation TTL; the 7 s its usage
     * reports are what is counted.
     */
    @Test
    void audioSecondsAreReservedFromTheProbedLengthAndCommittedAsOpenAiReports() throws Exception {
        // Past the TTL and the tests' allotment hold-for (2 s), which a block's hold lasts at least.
        long checkedAfterMillis = ExtraProvidersProfile.RESERVATION_TTL.toMillis() + 2500;
        long answersAfterMillis = checkedAfterMillis + 1500;
        FakeProviders.OPENAI_AUDIO.stubFor(post(urlEqualTo(OPENAI_TRANSCRIPTIONS))
                .willReturn(okJson(DIARIZED_JSON).withFixedDelay((int) answersAfterMillis)));

        CompletableFuture<Response> call = CompletableFuture.supplyAsync(
                () -> meeting().header("X-Tiergate-Provider", "openai-diarize").post(DIARIZATIONS));
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> assertThat(openAiUsage().reserved()).as("held while the call runs").isEqualTo(5));
        Thread.sleep(checkedAfterMillis);
        assertThat(call).as("OpenAI still working").isNotDone();
        assertThat(openAiUsage().reserved()).as("still held, past the reservation TTL and hold-for").isEqualTo(5);
        assertThat(call.get().statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(openAiUsage().used()).as("usage.seconds of the answer").isEqualTo(7);
            assertThat(openAiUsage().reserved()).isZero();
        });
    }

    /**
     * A caller who hangs up mid-call stops the call to OpenAI (a pod would stop its engine), and the 5 s held are spent,
     * as for a call that timed out: the provider may have counted it.
     */
    @Test
    void aCallerWhoHangsUpStopsTheCallAndTheAudioSecondsHeldAreSpent() throws Exception {
        FakeProviders.OPENAI_AUDIO.stubFor(post(urlEqualTo(OPENAI_TRANSCRIPTIONS))
                .willReturn(okJson(DIARIZED_JSON).withFixedDelay(6_000)));
        Backend openAi = registry.find("openai-diarize").orElseThrow().backends().get(0);
        String boundary = "tiergate-test-boundary";
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"meeting.wav\"\r\n"
                + "Content-Type: audio/wav\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        try (Socket caller = new Socket(router.getHost(), router.getPort())) {
            OutputStream out = caller.getOutputStream();
            out.write(("POST " + DIARIZATIONS + " HTTP/1.1\r\nHost: localhost\r\nX-Tiergate-Provider: openai-diarize\r\n"
                    + "Content-Type: multipart/form-data; boundary=" + boundary + "\r\nContent-Length: "
                    + (head.length + SHORT.length + tail.length) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(head);
            out.write(SHORT);
            out.write(tail);
            out.flush();
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                    .untilAsserted(() -> assertThat(openAi.inFlight()).as("OpenAI called").isEqualTo(1));
        }
        long hungUp = System.nanoTime();

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> assertThat(openAi.inFlight()).isZero());
        assertThat((System.nanoTime() - hungUp) / 1_000_000).as("milliseconds until the call was stopped, of OpenAI's 6,000")
                .isLessThan(3_000);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(openAiUsage().used()).as("the 5 s held, spent").isEqualTo(5);
            assertThat(openAiUsage().reserved()).isZero();
        });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            a form without a file          | no-file      | file
            a speaker count of zero        | zero         | num_speakers
            a speaker count that is a word | word         | num_speakers
            a count and bounds             | count-bounds | num_speakers
            more at least than at most     | min-max      | min_speakers
            an unknown response format     | srt          | response_format
            a transcript with rttm         | rttm-text    | response_format
            two transcripts                | two-texts    | transcript
            text instead of audio          | not-audio    | file
            """)
    void badInputIsAProblemNamingTheFieldAndNothingIsSent(String what, String body, String field) {
        RequestSpecification request = switch (body) {
            case "no-file" -> given().multiPart("num_speakers", "2");
            case "zero" -> jfk().multiPart("num_speakers", "0");
            case "word" -> jfk().multiPart("num_speakers", "two");
            case "count-bounds" -> jfk().multiPart("num_speakers", "2").multiPart("max_speakers", "3");
            case "min-max" -> jfk().multiPart("min_speakers", "4").multiPart("max_speakers", "3");
            case "srt" -> jfk().multiPart("response_format", "srt");
            case "rttm-text" -> jfk().multiPart("response_format", "rttm")
                    .multiPart("transcript", "t.json", VERBOSE_TRANSCRIPT.getBytes(StandardCharsets.UTF_8), "application/json");
            case "two-texts" -> jfk().multiPart("transcript", "a.json", VERBOSE_TRANSCRIPT.getBytes(StandardCharsets.UTF_8))
                    .multiPart("transcript", "b.json", VERBOSE_TRANSCRIPT.getBytes(StandardCharsets.UTF_8));
            default -> given().multiPart("file", "notes.wav", "these are not samples".getBytes(StandardCharsets.UTF_8), "audio/wav");
        };

        request.when().post(DIARIZATIONS)
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo(field));
        assertNothingSent();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(spoolFiles()).as("the upload and its parts").isZero());
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
        for (WireMockServer server : List.of(FakeProviders.OPENAI_AUDIO, FakeProviders.POD)) {
            server.verify(0, anyRequestedFor(anyUrl()));
        }
    }

    private UsageReport.WindowUsage openAiUsage() {
        List<io.tiergate.quota.AccountQuota> quotas = registry.find("openai-diarize").orElseThrow().backends().stream()
                .map(Backend::quota).map(quota -> quota.orElseThrow()).toList();
        return ledger.report(quotas).await().atMost(Duration.ofSeconds(5)).accounts().get(0)
                .window(QuotaUnit.AUDIO_SECONDS, QuotaWindow.HOUR);
    }
}
