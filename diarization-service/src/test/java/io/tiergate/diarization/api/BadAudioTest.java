package io.tiergate.diarization.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.tiergate.audio.testing.BadAudioCorpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every file of the bad-audio corpus straight to the pod: the expected 4xx naming {@code file}, or a diarization. */
@QuarkusTest
@TestProfile(BadAudioTest.FiveSecondsAtMost.class)
class BadAudioTest {

    public static class FiveSecondsAtMost implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tiergate.diarization.max-audio-seconds", Integer.toString((int) BadAudioCorpus.MAX_SECONDS));
        }
    }

    @Test
    void eachFileGetsItsExpectedAnswerAndThePodStaysReady() throws Exception {
        Path dir = Files.createTempDirectory("bad-audio");
        List<BadAudioCorpus.Case> corpus = BadAudioCorpus.writeTo(dir);

        for (BadAudioCorpus.Case entry : corpus) {
            Response answer = given().multiPart("file", entry.file().toFile(), "application/octet-stream")
                    .when().post("/v1/audio/diarizations");

            int expected = entry.accepted() ? 200 : entry.status();
            assertThat(answer.statusCode()).as(entry.toString()).isEqualTo(expected);
            if (!entry.accepted()) {
                assertThat(answer.jsonPath().getString("field")).as(entry.toString()).isEqualTo("file");
                assertThat(answer.jsonPath().getString("detail")).as(entry.toString()).doesNotContain(dir.toString());
            }
        }
        given().when().get("/q/health/ready").then().statusCode(200);
    }
}
