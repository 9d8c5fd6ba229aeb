package io.tiergate.transcription.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.tiergate.audio.testing.TestAssets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A pod whose whisper model is missing runs, is not ready, says why, and refuses work with 503 rather than fail it. */
@QuarkusTest
@TestProfile(NotReadyTest.MissingModel.class)
class NotReadyTest {

    public static class MissingModel implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tiergate.transcription.engine", "whisper",
                    "tiergate.transcription.whisper.model-path", "/models/ggml-base.en.bin");
        }
    }

    @Test
    void readinessIsDownNamingTheMissingModel() {
        given().when().get("/q/health/ready")
                .then().statusCode(503)
                .body("checks.find { it.name == 'transcription-engine' }.data.engine", equalTo("whisper"))
                .body("checks.find { it.name == 'transcription-engine' }.data.detail", containsString("/models/ggml-base.en.bin"));
    }

    @Test
    void workIsRefusedWith503SoTheRouterTriesAnotherBackend() {
        given().multiPart("file", TestAssets.path("asr/jfk.wav").toFile(), "audio/wav")
                .when().post("/v1/audio/transcriptions")
                .then().statusCode(503).body("detail", containsString("not ready"));
    }
}
