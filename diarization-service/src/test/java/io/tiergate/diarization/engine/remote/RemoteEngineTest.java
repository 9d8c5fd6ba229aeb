package io.tiergate.diarization.engine.remote;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.tiergate.audio.testing.TestAssets;
import io.tiergate.diarization.api.DiarizationResource;
import java.io.File;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pod fronting pyannoteAI's diarization job API, WireMock answering in its documented shape: the recording is put
 * in the API's media storage through a pre-signed URL, a job is created for it and polled until it ends. Every failure
 * is a 5xx problem the router can retry elsewhere, within the configured timeout.
 */
@QuarkusTest
@TestProfile(RemoteEngineTest.Remote.class)
class RemoteEngineTest {

    static final WireMockServer SERVER = new WireMockServer(wireMockConfig().dynamicPort());
    static final String KEY = "pyannote-test-key";
    static final String JOB = "3c8a89a5-dcc6-4edb-a75d-ffd64739674d";
    static final File RECORDING = TestAssets.path("asr/jfk.wav").toFile();

    static {
        SERVER.start();
    }

    public static class Remote implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tiergate.diarization.engine", "remote",
                    "tiergate.diarization.remote.base-url", SERVER.baseUrl(),
                    "tiergate.diarization.remote.api-key", KEY,
                    "tiergate.diarization.remote.model", "precision-2",
                    "tiergate.diarization.remote.poll-interval", "0.1s",
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
        SERVER.stubFor(post("/v1/media/input").willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"url\":\"" + SERVER.baseUrl() + "/presigned/upload?X-Amz-Signature=abc\"}")));
        SERVER.stubFor(put(urlPathEqualTo("/presigned/upload")).willReturn(aResponse().withStatus(200)));
        SERVER.stubFor(post("/v1/diarize").willReturn(okJson("{\"jobId\":\"" + JOB + "\",\"status\":\"created\"}")));
    }

    private static String job(String status, String output) {
        return "{\"jobId\":\"" + JOB + "\",\"status\":\"" + status + "\",\"createdAt\":\"2024-02-20T12:00:00Z\","
                + "\"updatedAt\":\"2024-02-20T12:00:05Z\"" + (output == null ? "" : ",\"output\":" + output) + "}";
    }

    @Test
    void theRecordingIsUploadedAJobCreatedAndPolledUntilItSucceeds() throws Exception {
        SERVER.stubFor(get("/v1/jobs/" + JOB).inScenario("job").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson(job("running", null))).willSetStateTo("done"));
        SERVER.stubFor(get("/v1/jobs/" + JOB).inScenario("job").whenScenarioStateIs("done")
                .willReturn(okJson(job("succeeded", """
                        {"diarization":[{"speaker":"SPEAKER_01","start":3.5,"end":7.25},
                                        {"speaker":"SPEAKER_00","start":0.5,"end":4.0},
                                        {"speaker":"SPEAKER_00","start":8.0,"end":10.5}]}"""))));

        JsonPath answer = given().multiPart("file", RECORDING, "audio/wav").multiPart("num_speakers", "2")
                .when().post("/v1/audio/diarizations")
                .then().statusCode(200).header(DiarizationResource.ENGINE_HEADER, "remote").extract().jsonPath();

        assertThat(answer.getString("engine")).isEqualTo("remote");
        assertThat(answer.getList("speakers")).containsExactly("SPEAKER_00", "SPEAKER_01");
        assertThat(answer.getList("segments.start", Float.class)).containsExactly(0.5f, 3.5f, 8.0f);
        assertThat(answer.getList("overlap.start", Float.class)).containsExactly(3.5f);
        assertThat(answer.getList("overlap.end", Float.class)).containsExactly(4.0f);
        assertThat(answer.getFloat("duration")).isBetween(10.9f, 11.1f);

        LoggedRequest media = SERVER.findAll(postRequestedFor(urlEqualTo("/v1/media/input"))).get(0);
        assertThat(media.getHeader("Authorization")).isEqualTo("Bearer " + KEY);
        String mediaUrl = new ObjectMapper().readTree(media.getBodyAsString()).path("url").asText();
        assertThat(mediaUrl).matches("media://tiergate/[0-9a-f-]+\\.wav");
        List<LoggedRequest> uploads = SERVER.findAll(putRequestedFor(urlPathEqualTo("/presigned/upload"))
                .withHeader("Authorization", absent()));
        assertThat(uploads).as("the file goes to the pre-signed URL, without the API key").hasSize(1);
        byte[] wav = uploads.get(0).getBody();
        assertThat(new String(wav, 0, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("RIFF");
        assertThat(wav.length).isEqualTo(44 + 2 * 176_000);
        SERVER.verify(postRequestedFor(urlEqualTo("/v1/diarize")).withHeader("Authorization", equalTo("Bearer " + KEY))
                .withRequestBody(matchingJsonPath("$.url", equalTo(mediaUrl)))
                .withRequestBody(matchingJsonPath("$.numSpeakers", equalTo("2")))
                .withRequestBody(matchingJsonPath("$.model", equalTo("precision-2"))));
        SERVER.verify(2, getRequestedFor(urlEqualTo("/v1/jobs/" + JOB)).withHeader("Authorization", equalTo("Bearer " + KEY)));
    }

    @Test
    void aJobThatFailsIsA502() {
        SERVER.stubFor(get("/v1/jobs/" + JOB).willReturn(okJson(job("failed", null))));

        given().multiPart("file", RECORDING, "audio/wav")
                .when().post("/v1/audio/diarizations")
                .then().statusCode(502).contentType("application/problem+json")
                .body("type", containsString("remote-failed"))
                .body("detail", containsString("job " + JOB + " ended 'failed'"));
    }

    @Test
    void aJobStillRunningAtTheTimeoutIsA504RatherThanAHang() {
        SERVER.stubFor(get("/v1/jobs/" + JOB).willReturn(okJson(job("running", null))));

        given().multiPart("file", RECORDING, "audio/wav")
                .when().post("/v1/audio/diarizations")
                .then().statusCode(504).body("type", containsString("remote-timeout"))
                .body("detail", containsString("was still running"));

        // The clock starts before the upload (the pod's own decoding, slow on a busy machine, is not the API's time).
        long uploadAsked = SERVER.findAll(postRequestedFor(urlEqualTo("/v1/media/input"))).get(0).getLoggedDate().getTime();
        List<LoggedRequest> polls = SERVER.findAll(getRequestedFor(urlEqualTo("/v1/jobs/" + JOB)));
        assertThat(polls).hasSizeGreaterThan(3);
        assertThat(polls.get(polls.size() - 1).getLoggedDate().getTime() - uploadAsked)
                .as("milliseconds from the upload to the last poll, with a 2 s timeout").isLessThan(2_000);
    }

    @Test
    void aPollWhoseAnswerIsStillArrivingAtTheTimeoutIsA504() {
        SERVER.stubFor(get("/v1/jobs/" + JOB).willReturn(okJson(job("running", null)).withChunkedDribbleDelay(40, 6_000)));

        long asked = System.nanoTime();
        given().multiPart("file", RECORDING, "audio/wav")
                .when().post("/v1/audio/diarizations")
                .then().statusCode(504).body("type", containsString("remote-timeout"));
        assertThat((System.nanoTime() - asked) / 1_000_000).as("milliseconds to answer, with a 2 s timeout")
                .isLessThan(5_000);
    }

    @Test
    void aRefusedKeyIsA502SayingSoWithoutTheKey() {
        SERVER.stubFor(post("/v1/media/input").willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json").withBody("{\"message\":\"Invalid API key\"}")));

        given().multiPart("file", RECORDING, "audio/wav")
                .when().post("/v1/audio/diarizations")
                .then().statusCode(502).body("type", containsString("remote-failed"))
                .body("detail", containsString("answered 401 to POST /v1/media/input"))
                .body("detail", containsString("tiergate.diarization.remote.api-key"))
                .body("detail", containsString("'Invalid API key'"))
                .body("detail", not(containsString(KEY)));

        SERVER.verify(0, postRequestedFor(urlEqualTo("/v1/diarize")));
    }

    @Test
    void rateLimitingIsA503AndAFailedPollIsTriedAgain() {
        SERVER.stubFor(post("/v1/diarize").willReturn(aResponse().withStatus(429)));
        given().multiPart("file", RECORDING, "audio/wav")
                .when().post("/v1/audio/diarizations")
                .then().statusCode(503).body("type", containsString("remote-busy"));

        reset();
        SERVER.stubFor(get("/v1/jobs/" + JOB).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(502)).willSetStateTo("recovered"));
        SERVER.stubFor(get("/v1/jobs/" + JOB).inScenario("flaky").whenScenarioStateIs("recovered")
                .willReturn(okJson(job("succeeded", "{\"diarization\":[]}"))));
        given().multiPart("file", RECORDING, "audio/wav")
                .when().post("/v1/audio/diarizations")
                .then().statusCode(200).body("segments.size()", org.hamcrest.Matchers.equalTo(0));
    }

    @Test
    void readinessNamesTheEngineAndTheApi() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("checks.find { it.name == 'diarization-engine' }.data.engine", org.hamcrest.Matchers.equalTo("remote"))
                .body("checks.find { it.name == 'diarization-engine' }.data.model",
                        org.hamcrest.Matchers.equalTo(SERVER.baseUrl()))
                .body("checks.find { it.name == 'diarization-engine' }.data.detail", not(containsString(KEY)));
    }
}
