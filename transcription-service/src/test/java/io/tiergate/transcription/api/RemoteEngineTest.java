package io.tiergate.transcription.api;

import static com.github.tomakehurst.wiremock.client.WireMock.aMultipart;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.tiergate.audio.testing.TestAssets;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pod fronting an OpenAI-compatible transcription server (WireMock in speaches' and OpenAI's documented shape):
 * long audio goes to it chunk by chunk and comes back stitched in recording order; a chunk that fails is sent again;
 * a chunk that always fails fails the request instead of leaving a hole.
 */
@QuarkusTest
@TestProfile(RemoteEngineTest.Remote.class)
class RemoteEngineTest {

    static final WireMockServer SERVER = new WireMockServer(wireMockConfig().dynamicPort());

    static {
        SERVER.start();
    }

    public static class Remote implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tiergate.transcription.engine", "openai",
                    "tiergate.transcription.remote.base-url", SERVER.baseUrl(),
                    "tiergate.transcription.remote.api-key", "local-server-key",
                    "tiergate.transcription.remote.model", "Systran/faster-whisper-small",
                    "tiergate.transcription.remote.translates", "true",
                    "tiergate.transcription.slots", "2",
                    "tiergate.transcription.remote.timeout", "2s");
        }
    }

    /** One chunk's answer: a segment and two words, times from the chunk's start. */
    private static final String CHUNK_ANSWER = """
            {"task":"transcribe","language":"english","duration":20.0,"text":"spoken words",
             "segments":[{"id":0,"seek":0,"start":1.0,"end":3.0,"text":" spoken words","tokens":[1,2],"temperature":0.0,
                          "avg_logprob":-0.2,"compression_ratio":1.1,"no_speech_prob":0.01}],
             "words":[{"word":"spoken","start":1.0,"end":2.0},{"word":"words","start":2.0,"end":3.0}]}""";

    private static Path longRecording;

    @BeforeAll
    static void makeLongRecording() throws Exception {
        // About 100 s: the asr clips and the two-speaker sample, twice, so the chunker makes several chunks.
        Path dir = Files.createTempDirectory("remote-engine");
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-y", "-v", "error"));
        List<File> clips = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            clips.add(TestAssets.path("diarization/pyannote_sample.wav").toFile());
            clips.add(TestAssets.path("asr/jfk.wav").toFile());
        }
        for (File clip : clips) {
            command.addAll(List.of("-i", clip.getPath()));
        }
        command.addAll(List.of("-filter_complex", "concat=n=" + clips.size() + ":v=0:a=1", "-ar", "16000", "-ac", "1"));
        longRecording = dir.resolve("long.flac");
        command.add(longRecording.toString());
        assertThat(new ProcessBuilder(command).inheritIO().start().waitFor()).isZero();
    }

    @AfterAll
    static void stop() {
        SERVER.stop();
    }

    @BeforeEach
    void reset() {
        SERVER.resetAll();
    }

    @Test
    void longAudioIsSentInChunksAndStitchedInRecordingOrder() {
        SERVER.stubFor(post("/v1/audio/transcriptions").willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody(CHUNK_ANSWER)));

        JsonPath answer = given().multiPart("file", longRecording.toFile(), "audio/flac")
                .multiPart("response_format", "verbose_json").multiPart("timestamp_granularities[]", "word")
                .multiPart("timestamp_granularities[]", "segment")
                .when().post("/v1/audio/transcriptions")
                .then().statusCode(200).header(TranscriptionResource.ENGINE_HEADER, "openai").extract().jsonPath();

        int chunks = SERVER.findAll(postRequestedFor(urlEqualTo("/v1/audio/transcriptions"))).size();
        assertThat(chunks).isGreaterThan(2);
        List<Float> starts = answer.getList("segments.start", Float.class);
        assertThat(starts).hasSize(chunks).isSorted().doesNotHaveDuplicates();
        assertThat(answer.getList("segments.id", Integer.class)).containsExactlyElementsOf(
                java.util.stream.IntStream.range(0, chunks).boxed().toList());
        assertThat(answer.getList("words.start", Float.class)).hasSize(2 * chunks).isSorted();
        assertThat(answer.getFloat("duration")).isGreaterThan(starts.get(starts.size() - 1));
        SERVER.verify(postRequestedFor(urlEqualTo("/v1/audio/transcriptions"))
                .withHeader("Authorization", equalTo("Bearer local-server-key"))
                .withRequestBodyPart(aMultipart("model").withBody(equalTo("Systran/faster-whisper-small")).build())
                .withRequestBodyPart(aMultipart("response_format").withBody(equalTo("verbose_json")).build()));
    }

    @Test
    void aChunkThatFailsOnceIsSentAgain() {
        SERVER.stubFor(post("/v1/audio/transcriptions").inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(500)).willSetStateTo("recovered"));
        SERVER.stubFor(post("/v1/audio/transcriptions").inScenario("flaky").whenScenarioStateIs("recovered")
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(CHUNK_ANSWER)));

        given().multiPart("file", TestAssets.path("asr/jfk.wav").toFile(), "audio/wav")
                .when().post("/v1/audio/transcriptions")
                .then().statusCode(200).body("text", containsString("spoken words"));

        assertThat(SERVER.findAll(postRequestedFor(urlEqualTo("/v1/audio/transcriptions")))).hasSize(2);
    }

    @Test
    void aChunkThatAlwaysFailsFailsTheRequestWithoutText() {
        SERVER.stubFor(post("/v1/audio/transcriptions").willReturn(aResponse().withStatus(500)));

        given().multiPart("file", TestAssets.path("asr/jfk.wav").toFile(), "audio/wav")
                .when().post("/v1/audio/transcriptions")
                .then().statusCode(503).body("type", containsString("engine-failed")).body("detail", containsString("3 times"));
    }

    @Test
    void anAnswerStillArrivingAtTheTimeoutFailsTheAttemptAtTheTimeout() {
        SERVER.stubFor(post("/v1/audio/transcriptions").willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody(CHUNK_ANSWER).withChunkedDribbleDelay(50, 10_000)));

        long asked = System.nanoTime();
        given().multiPart("file", TestAssets.path("asr/jfk.wav").toFile(), "audio/wav")
                .when().post("/v1/audio/transcriptions")
                .then().statusCode(503).body("type", containsString("engine-failed"));
        assertThat((System.nanoTime() - asked) / 1_000_000)
                .as("milliseconds for 3 attempts with a 2 s timeout, each answer trickling for 10 s").isLessThan(15_000);
    }

    @Test
    void translationsGoToTheServersTranslationEndpoint() {
        SERVER.stubFor(post("/v1/audio/translations").willReturn(aResponse().withHeader("Content-Type", "application/json")
                .withBody(CHUNK_ANSWER.replace("\"transcribe\"", "\"translate\""))));

        given().multiPart("file", TestAssets.path("asr/jfk.wav").toFile(), "audio/wav")
                .multiPart("response_format", "verbose_json")
                .when().post("/v1/audio/translations")
                .then().statusCode(200).body("task", org.hamcrest.Matchers.equalTo("translate"));
    }
}
