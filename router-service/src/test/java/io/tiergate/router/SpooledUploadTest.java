package io.tiergate.router;

import static com.github.tomakehurst.wiremock.client.WireMock.aMultipart;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.binaryEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.tiergate.router.providers.ProviderRegistry;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upload many times the in-memory body limit (64 KiB here; JFK's recording is 352,078 bytes) is spooled to disk as it
 * arrives; its recording, written to a file of its own, passes byte for byte to the provider, and again from that file
 * on a retry; every file is deleted once the answer has gone back. An upload's limit is its endpoint's own, even above
 * {@code quarkus.http.limits.max-body-size} (16 MiB), which is sized for bodies read into memory.
 */
@QuarkusTest
@TestProfile(ExtraProvidersProfile.class)
@QuarkusTestResource(value = FakeProviders.class, restrictToAnnotatedClass = false)
class SpooledUploadTest {

    private static final String TRANSCRIPTIONS = "/v1/audio/transcriptions";
    private static final String UPSTREAM = "/v1/audio/transcriptions";

    @Inject
    ProviderRegistry registry;

    @BeforeEach
    void reset() throws IOException {
        RouterTestSupport.reset(registry);
        if (Files.isDirectory(ExtraProvidersProfile.SPOOL)) {
            try (Stream<Path> left = Files.list(ExtraProvidersProfile.SPOOL)) {
                for (Path file : left.toList()) {
                    Files.delete(file);
                }
            }
        }
    }

    @Test
    void anUploadFarOverTheInMemoryLimitPassesThroughAndIsReplayedOnRetry() {
        FakeProviders.POD.stubFor(post(urlEqualTo(UPSTREAM)).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("recovered"));
        FakeProviders.POD.stubFor(post(urlEqualTo(UPSTREAM)).inScenario("flaky").whenScenarioStateIs("recovered")
                .willReturn(okJson("{\"text\":\"received\"}")));

        given().header("X-Tiergate-Provider", "transcriber").multiPart("file", "jfk.wav", Recordings.JFK, "audio/wav")
                .when().post(TRANSCRIPTIONS)
                .then().statusCode(200)
                .header("X-Tiergate-Provider", "transcriber")
                .header("X-Tiergate-Attempts", "2")
                .body("text", equalTo("received"));

        FakeProviders.POD.verify(2, postRequestedFor(urlEqualTo(UPSTREAM))
                .withRequestBodyPart(aMultipart().withName("file").withBody(binaryEqualTo(Recordings.JFK)).build()));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(spoolFiles()).isZero());
    }

    @Test
    void anUploadOverItsEndpointsLimitIsA413ProblemAndLeavesNoFile() {
        byte[] tooLarge = new byte[(int) ExtraProvidersProfile.SPOOL_LIMIT + 1];
        new Random(7).nextBytes(tooLarge);
        given().multiPart("file", "noise.wav", tooLarge, "audio/wav")
                .when().post("/v1/audio/translations")
                .then().statusCode(413)
                .contentType("application/problem+json")
                .body("field", equalTo("file"))
                .body("detail", containsString("tiergate.router.spool.max-body-bytes"));
        FakeProviders.POD.verify(0, anyRequestedFor(anyUrl()));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(spoolFiles()).isZero());
    }

    /** 17.9 MB of WAV, over the 16 MiB Quarkus takes for other bodies, within the 20 MiB of transcriptions here. */
    @Test
    void anUploadOverQuarkusBodyLimitIsTakenUpToItsEndpointsOwn(@TempDir Path dir) {
        Path tenMinutes = Recordings.silence(dir, 560);
        given().multiPart("file", tenMinutes.toFile(), "audio/wav")
                .when().post("/v1/route/explain/audio/transcriptions")
                .then().statusCode(200)
                .body("features.find { it.name == 'duration_seconds' }.value", equalTo(560.0f));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(spoolFiles()).isZero());
    }

    /**
     * curl and many SDKs send {@code Expect: 100-continue} with a large upload and hold the body back until they are
     * told to send it, or for a second when nobody tells them: every upload would start a second late.
     */
    @Test
    void aCallerWaitingToBeToldToSendItsUploadIsTold() throws IOException {
        byte[] form = ("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"jfk.wav\"\r\n"
                + "Content-Type: audio/wav\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] end = "\r\n--b--\r\n".getBytes(StandardCharsets.US_ASCII);
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/route/explain/audio/transcriptions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: multipart/form-data; boundary=b\r\nExpect: 100-continue\r\nContent-Length: "
                    + (form.length + Recordings.JFK.length + end.length) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            assertThat(in.readLine()).isEqualTo("HTTP/1.1 100 Continue");
            assertThat(in.readLine()).isEmpty();

            out.write(form);
            out.write(Recordings.JFK);
            out.write(end);
            out.flush();
            assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
        }
    }

    @Test
    void aCallerWaitingToBeToldToSendAnUploadOverTheLimitIsRefusedInstead() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(("POST /v1/audio/translations HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: multipart/form-data; boundary=b\r\nExpect: 100-continue\r\nContent-Length: "
                    + (ExtraProvidersProfile.SPOOL_LIMIT + 1) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            assertThat(in.readLine()).isEqualTo("HTTP/1.1 413 Request Entity Too Large");
        }
        FakeProviders.POD.verify(0, anyRequestedFor(anyUrl()));
    }

    /** A caller that hangs up halfway through its upload leaves no file behind, and no error: nothing went wrong here. */
    @Test
    void aCallerHangingUpMidUploadLeavesNoFileAndNoError() throws Exception {
        List<String> errors = RouterTestSupport.errorsLoggedDuring(Duration.ofMillis(500), () -> {
            try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
                OutputStream out = socket.getOutputStream();
                out.write(("POST /v1/audio/transcriptions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: " + (4 * Recordings.JFK.length)
                        + "\r\n\r\n--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"jfk.wav\"\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                // More than the router hands its form decoder at once, so part of the recording is on disk when the caller goes.
                for (int i = 0; i < 3; i++) {
                    out.write(Recordings.JFK);
                }
                out.flush();
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(spoolFiles()).isOne());
            } finally {
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(spoolFiles()).isZero());
            }
        });
        assertThat(errors).isEmpty();
        FakeProviders.POD.verify(0, anyRequestedFor(anyUrl()));
    }

    private static long spoolFiles() throws IOException {
        if (!Files.isDirectory(ExtraProvidersProfile.SPOOL)) {
            return 0;
        }
        try (Stream<?> files = Files.list(ExtraProvidersProfile.SPOOL)) {
            return files.count();
        }
    }
}
