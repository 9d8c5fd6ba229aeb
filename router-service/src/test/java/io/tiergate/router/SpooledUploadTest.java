package io.tiergate.router;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.binaryEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.tiergate.router.providers.ProviderRegistry;
import io.tiergate.router.uploads.TestUploads;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An upload many times the in-memory body limit (64 KiB here; 3 MiB are sent) is spooled to disk as it arrives and passed through,
 * byte for byte and with its multipart boundary, to the upstream; a retry sends it again from the spool file, which is
 * deleted once the answer has gone back.
 */
@QuarkusTest
@TestProfile(ExtraProvidersProfile.class)
@QuarkusTestResource(value = FakeProviders.class, restrictToAnnotatedClass = false)
class SpooledUploadTest {

    private static final String UPSTREAM = "/v1/test/uploads";
    private static final String MULTIPART = "multipart/form-data; boundary=tiergate-test-boundary";

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

    private static byte[] upload(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    @Test
    void anUploadFarOverTheInMemoryLimitPassesThroughAndIsReplayedOnRetry() {
        byte[] body = upload(3 << 20);
        FakeProviders.BETA.stubFor(post(urlEqualTo(UPSTREAM)).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("recovered"));
        FakeProviders.BETA.stubFor(post(urlEqualTo(UPSTREAM)).inScenario("flaky").whenScenarioStateIs("recovered")
                .willReturn(okJson("{\"text\":\"received\"}")));

        given().contentType(MULTIPART).body(body)
                .when().post(TestUploads.PATH)
                .then().statusCode(200)
                .header("X-Tiergate-Provider", "scribe")
                .header("X-Tiergate-Attempts", "2")
                .body("text", equalTo("received"));

        FakeProviders.BETA.verify(2, postRequestedFor(urlEqualTo(UPSTREAM))
                .withHeader("Content-Type", containing("boundary=tiergate-test-boundary"))
                .withRequestBody(binaryEqualTo(body)));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(spoolFiles()).isZero());
    }

    @Test
    void anUploadOverTheSpoolLimitIsA413ProblemAndLeavesNoFile() {
        given().contentType(MULTIPART).body(upload((int) ExtraProvidersProfile.SPOOL_LIMIT + 1))
                .when().post(TestUploads.PATH)
                .then().statusCode(413)
                .contentType("application/problem+json")
                .body("detail", org.hamcrest.Matchers.containsString("tiergate.router.spool.max-body-bytes"));
        FakeProviders.BETA.verify(0, postRequestedFor(urlEqualTo(UPSTREAM)));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(spoolFiles()).isZero());
    }

    @Test
    void anUploadCanBeExplainedLikeAnyRoutedRequest() {
        given().contentType(MULTIPART).body(upload(200_000))
                .when().post("/v1/route/explain/test/uploads")
                .then().statusCode(200)
                .body("capability", equalTo("test-upload"))
                .body("candidates[0].provider", equalTo("scribe"));
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
