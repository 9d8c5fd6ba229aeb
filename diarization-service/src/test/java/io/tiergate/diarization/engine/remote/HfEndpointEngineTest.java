package io.tiergate.diarization.engine.remote;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.tiergate.audio.testing.TestAssets;
import io.tiergate.diarization.api.DiarizationResource;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pod fronting a Hugging Face Inference Endpoint that runs pyannote's diarization handler, WireMock answering in
 * that handler's shape: one call carrying the recording as base64 WAV and the pipeline's speaker-count arguments,
 * answered with the turns. Every failure is a 5xx problem the router can retry elsewhere, within the timeout.
 */
@QuarkusTest
@TestProfile(HfEndpointEngineTest.Endpoint.class)
class HfEndpointEngineTest {

    static final WireMockServer SERVER = new WireMockServer(wireMockConfig().dynamicPort());
    static final String TOKEN = "hf_endpointTestToken";
    static final File RECORDING = TestAssets.path("asr/jfk.wav").toFile();

    static {
        SERVER.start();
    }

    public static class Endpoint implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tiergate.diarization.engine", "remote",
                    "tiergate.diarization.remote.api", "hf-endpoint",
                    "tiergate.diarization.remote.base-url", SERVER.baseUrl(),
                    "tiergate.diarization.remote.api-key", TOKEN,
                    "tiergate.diarization.remote.timeout", "2s");
        }
    }

    @AfterAll
    static void stop() {
        SERVER.stop();
    }

    @BeforeEach
    void reset() {
        SERVER.resetAll();
    }

    private static JsonNode body(LoggedRequest request) throws Exception {
        return new ObjectMapper().readTree(request.getBodyAsString());
    }

    @Test
    void theRecordingGoesAsBase64WavWithTheSpeakerCountAndTheTurnsComeBack() throws Exception {
        // pyannote's handler writes times as strings with three decimals; other handlers use label and stop.
        SERVER.stubFor(post("/").willReturn(okJson("""
                {"diarization":[{"speaker":"SPEAKER_01","start":"3.500","end":"7.250"},
                                {"speaker":"SPEAKER_00","start":"0.500","end":"4.000"},
                                {"label":"SPEAKER_00","start":8.0,"stop":10.5}]}""")));

        JsonPath answer = given().multiPart("file", RECORDING, "audio/wav").multiPart("num_speakers", "2")
                .when().post("/v1/audio/diarizations")
                .then().statusCode(200).header(DiarizationResource.ENGINE_HEADER, "remote").extract().jsonPath();

        assertThat(answer.getList("speakers")).containsExactly("SPEAKER_00", "SPEAKER_01");
        assertThat(answer.getList("segments.start", Float.class)).containsExactly(0.5f, 3.5f, 8.0f);
        assertThat(answer.getList("segments.end", Float.class)).containsExactly(4.0f, 7.25f, 10.5f);
        assertThat(answer.getList("overlap.start", Float.class)).containsExactly(3.5f);
        assertThat(answer.getList("overlap.end", Float.class)).containsExactly(4.0f);

        LoggedRequest call = SERVER.findAll(postRequestedFor(urlEqualTo("/"))).get(0);
        assertThat(call.getHeader("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(call.getHeader("Content-Type")).startsWith("application/json");
        JsonNode sent = body(call);
        byte[] wav = Base64.getDecoder().decode(sent.path("inputs").asText());
        assertThat(new String(wav, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("RIFF");
        assertThat(wav.length).isEqualTo(44 + 2 * 176_000);
        assertThat(sent.path("parameters").toString()).isEqualTo("{\"num_speakers\":2}");
    }

    @Test
    void boundsAreThePipelinesArgumentsAndNoCountSendsNoParameters() throws Exception {
        SERVER.stubFor(post("/").willReturn(okJson("{\"diarization\":[]}")));

        given().multiPart("file", RECORDING, "audio/wav").multiPart("min_speakers", "2").multiPart("max_speakers", "5")
                .when().post("/v1/audio/diarizations").then().statusCode(200);
        given().multiPart("file", RECORDING, "audio/wav")
                .when().post("/v1/audio/diarizations").then().statusCode(200).body("segments.size()", org.hamcrest.Matchers.equalTo(0));

        var calls = SERVER.findAll(postRequestedFor(urlEqualTo("/")));
        assertThat(body(calls.get(0)).path("parameters").toString()).isEqualTo("{\"min_speakers\":2,\"max_speakers\":5}");
        assertThat(body(calls.get(1)).has("parameters")).isFalse();
    }

    @Test
    void anEndpointScaledToZeroIsBusyAndARefusedTokenFailsWithoutTheToken() {
        SERVER.stubFor(post("/").willReturn(aResponse().withStatus(503).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"Service Unavailable\"}")));
        given().multiPart("file", RECORDING, "audio/wav")
                .when().post("/v1/audio/diarizations")
                .then().statusCode(503).body("type", containsString("remote-busy"))
                .body("detail", containsString("the Hugging Face endpoint answered 503"));

        SERVER.stubFor(post("/").willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"Authorization header is correct, but the token seems invalid\"}")));
        given().multiPart("file", RECORDING, "audio/wav")
                .when().post("/v1/audio/diarizations")
                .then().statusCode(502).body("type", containsString("remote-failed"))
                .body("detail", containsString("tiergate.diarization.remote.api-key"))
                .body("detail", not(containsString(TOKEN)));
    }

    @Test
    void anAnswerWithoutUsableTurnsIsA502() {
        SERVER.stubFor(post("/").willReturn(okJson("{\"error\":\"handler crashed\"}")));
        given().multiPart("file", RECORDING, "audio/wav")
                .when().post("/v1/audio/diarizations")
                .then().statusCode(502).body("detail", containsString("has no diarization list"));

        SERVER.stubFor(post("/").willReturn(okJson("{\"diarization\":[{\"speaker\":\"A\",\"start\":\"soon\",\"end\":\"1.0\"}]}")));
        given().multiPart("file", RECORDING, "audio/wav")
                .when().post("/v1/audio/diarizations")
                .then().statusCode(502).body("detail", containsString("a turn lacks speaker, start or end"));
    }

    @Test
    void anAnswerStillArrivingAtTheTimeoutIsA504AtTheTimeout() {
        SERVER.stubFor(post("/").willReturn(okJson("{\"diarization\":[]}").withChunkedDribbleDelay(40, 6_000)));

        long asked = System.nanoTime();
        given().multiPart("file", RECORDING, "audio/wav")
                .when().post("/v1/audio/diarizations")
                .then().statusCode(504).body("type", containsString("remote-timeout"));
        assertThat((System.nanoTime() - asked) / 1_000_000).as("milliseconds to answer, with a 2 s timeout")
                .isLessThan(5_000);
        SERVER.verify(1, postRequestedFor(urlEqualTo("/")).withHeader("Authorization", equalTo("Bearer " + TOKEN)));
    }
}
