package io.tiergate.diarization.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A body sent as a form that is not one is the caller's mistake: a 400 problem naming {@code file}, and the pod stays ready. */
@QuarkusTest
class MalformedFormTest {

    private static final String FORM = "multipart/form-data; boundary=tiergate";

    @Test
    void aFormEndingInsideItsFilePartIs400() {
        refused("--tiergate\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n\r\nRIFF....WAVE");
    }

    @Test
    void aBodyWithoutAnyPartIs400() {
        refused("not a form at all");
    }

    @Test
    void aFormWithMorePartsThanTakenIs400() {
        refused("--tiergate\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n1\r\n".repeat(1001) + "--tiergate--\r\n");
    }

    private static void refused(String body) {
        given().contentType(FORM).body(body.getBytes(StandardCharsets.ISO_8859_1))
                .when().post("/v1/audio/diarizations")
                .then().statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("type", equalTo("https://tiergate.io/problems/malformed-form"))
                .body("field", equalTo("file"));
        given().when().get("/q/health/ready").then().statusCode(200);
    }
}
