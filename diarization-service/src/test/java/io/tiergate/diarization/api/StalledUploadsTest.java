package io.tiergate.diarization.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.tiergate.audio.testing.StalledUploads;
import io.tiergate.audio.testing.TestAssets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Uploads that stall hold no worker thread: with more of them than workers, the pod still answers readiness and work. */
@QuarkusTest
@TestProfile(StalledUploadsTest.FourWorkers.class)
class StalledUploadsTest {

    public static class FourWorkers implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.thread-pool.max-threads", "4");
        }
    }

    @Test
    void morePartialUploadsThanWorkersLeaveThePodAnswering() throws Exception {
        StalledUploads.assertThePodStillAnswers(RestAssured.port, "/v1/audio/diarizations", TestAssets.path("diarization/pyannote_sample.wav"), 8);
    }
}
