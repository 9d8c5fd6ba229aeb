package io.tiergate.diarization.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tiergate.audio.testing.TestAssets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A pod whose VAD model is missing runs, is not ready, says why, and refuses work with 503 rather than fail it. */
@QuarkusTest
@TestProfile(NotReadyTest.MissingVadModel.class)
class NotReadyTest {

    public static class MissingVadModel implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tiergate.diarization.vad-model", "/models/silero_vad.onnx");
        }
    }

    @Test
    void readinessIsDownNamingTheMissingModel() {
        given().when().get("/q/health/ready")
                .then().statusCode(503)
                .body("checks.find { it.name == 'diarization-engine' }.data.engine", equalTo("embedded"))
                .body("checks.find { it.name == 'diarization-engine' }.data.detail", containsString("/models/silero_vad.onnx"));
    }

    @Test
    void workIsRefusedWith503SoTheRouterTriesAnotherBackend() {
        given().multiPart("file", TestAssets.path("diarization/pyannote_sample.wav").toFile(), "audio/wav")
                .when().post("/v1/audio/diarizations")
                .then().statusCode(503).body("detail", containsString("not ready"));
    }
}
