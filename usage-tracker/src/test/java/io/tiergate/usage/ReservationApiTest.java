package io.tiergate.usage;

import static io.restassured.RestAssured.given;
import static io.tiergate.usage.ServiceToken.authorized;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.tiergate.quota.testing.MutableClock;
import io.tiergate.quota.testing.RedisServer;
import io.tiergate.quota.testing.RedisTestResource;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(RedisTestResource.class)
class ReservationApiTest {

    private static final String WHISPER_AUDIO_HOUR =
            "providers.find { it.provider == 'groq-whisper' }.accounts[0].windows.find { it.unit == 'audio_seconds' && it.window == 'hour' }";
    private static final String GROQ_ORG_A_TOKENS_MINUTE =
            "providers.find { it.provider == 'groq' }.accounts.find { it.account == 'org-a' }.windows.find { it.unit == 'tokens' && it.window == 'minute' }";

    @Inject
    MutableClock clock;

    @BeforeEach
    void freshLedger() {
        RedisServer.attached().flushAll();
        clock.freezeAt(Instant.parse("2025-03-10T12:00:05Z"));
    }

    @AfterEach
    void realTime() {
        clock.reset();
    }

    @Test
    void reserveThenCommitReplacesTheHoldWithActualUsage() {
        String id = reserve("{\"provider\":\"groq\",\"tokens\":500}")
                .body("account", equalTo("org-a"))
                .body("provider", equalTo("groq"))
                .body("expires_at", equalTo("2025-03-10T12:00:07Z"))
                .extract().path("reservation_id");
        given().get("/v1/usage").then().statusCode(200)
                .body("source", equalTo("redis"))
                .body(GROQ_ORG_A_TOKENS_MINUTE + ".reserved", equalTo(500))
                .body(GROQ_ORG_A_TOKENS_MINUTE + ".limit", equalTo(6000))
                .body(GROQ_ORG_A_TOKENS_MINUTE + ".reset_at", equalTo("2025-03-10T12:01:00Z"));

        authorized().contentType(ContentType.JSON).body("{\"tokens\":320}").post("/v1/reservations/{id}/commit", id)
                .then().statusCode(200).body("settlement", equalTo("settled"));

        given().queryParam("provider", "groq").get("/v1/usage").then().statusCode(200)
                .body(GROQ_ORG_A_TOKENS_MINUTE + ".reserved", equalTo(0))
                .body(GROQ_ORG_A_TOKENS_MINUTE + ".used", equalTo(320))
                .body("providers.provider", equalTo(java.util.List.of("groq")));
    }

    @Test
    void releaseRefundsTheHold() {
        String id = reserve("{\"provider\":\"groq\",\"accounts\":[\"org-b\"],\"tokens\":700}")
                .body("account", equalTo("org-b")).extract().path("reservation_id");

        authorized().delete("/v1/reservations/{id}", id).then().statusCode(200).body("settlement", equalTo("settled"));
        authorized().delete("/v1/reservations/{id}", id).then().statusCode(200).body("settlement", equalTo("expired"));

        given().get("/v1/usage").then().statusCode(200)
                .body("providers.find { it.provider == 'groq' }.accounts.find { it.account == 'org-b' }.windows.findAll { it.reserved != 0 }",
                        equalTo(java.util.List.of()));
    }

    @Test
    void aCommitThatLeavesOutTheTokensCountsTheEstimateAndAnExplicitZeroCountsNone() {
        String unreported = reserve("{\"provider\":\"groq\",\"tokens\":500}").extract().path("reservation_id");
        String none = reserve("{\"provider\":\"groq\",\"tokens\":400}").extract().path("reservation_id");

        authorized().contentType(ContentType.JSON).body("{}").post("/v1/reservations/{id}/commit", unreported)
                .then().statusCode(200).body("settlement", equalTo("settled"));
        authorized().contentType(ContentType.JSON).body("{\"tokens\":0}").post("/v1/reservations/{id}/commit", none)
                .then().statusCode(200).body("settlement", equalTo("settled"));

        given().get("/v1/usage").then().statusCode(200)
                .body("providers.find { it.provider == 'groq' }.accounts.sum { it.windows.find { w -> w.unit == 'tokens' && w.window == 'minute' }.used }",
                        equalTo(500))
                .body("providers.find { it.provider == 'groq' }.accounts.sum { it.windows.find { w -> w.unit == 'tokens' && w.window == 'minute' }.reserved }",
                        equalTo(0));
    }

    /** An id is base64 of provider, account and nonce, easily made up: one never granted spends nothing. */
    @Test
    void aCommitOfAnIdNeverGrantedIs404AndCountsNothing() {
        String madeUp = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("groq\norg-a\nr0123456789abcdef".getBytes(StandardCharsets.UTF_8));

        authorized().contentType(ContentType.JSON).body("{\"tokens\":5000}").post("/v1/reservations/{id}/commit", madeUp)
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", containsString("unknown-reservation"))
                .body("field", equalTo("id"));
        authorized().delete("/v1/reservations/{id}", madeUp).then().statusCode(404).body("field", equalTo("id"));

        given().get("/v1/usage").then().statusCode(200)
                .body(GROQ_ORG_A_TOKENS_MINUTE + ".used", equalTo(0))
                .body(GROQ_ORG_A_TOKENS_MINUTE + ".reserved", equalTo(0));
    }

    /** The provider counted a call its caller committed too late: its usage counts, once. */
    @Test
    void aLateCommitOfAnExpiredReservationCountsOnce() {
        String id = reserve("{\"provider\":\"groq\",\"tokens\":500}").extract().path("reservation_id");
        clock.advance(Duration.ofSeconds(3));
        given().get("/v1/usage").then().statusCode(200).body(GROQ_ORG_A_TOKENS_MINUTE + ".reserved", equalTo(0));

        for (int i = 0; i < 2; i++) {
            authorized().contentType(ContentType.JSON).body("{\"tokens\":320}").post("/v1/reservations/{id}/commit", id)
                    .then().statusCode(200).body("settlement", equalTo("expired"));
        }
        given().get("/v1/usage").then().statusCode(200).body(GROQ_ORG_A_TOKENS_MINUTE + ".used", equalTo(320));
    }

    @Test
    void exhaustedQuotaAnswers429WithTheWindowAndRetryAfter() {
        for (int i = 0; i < 64; i++) {
            reserve("{\"provider\":\"openrouter\"}");
        }
        // Held by 64 calls still in flight, not used: room may free as soon as one of them is released.
        authorized().contentType(ContentType.JSON).body("{\"provider\":\"openrouter\"}").post("/v1/reservations")
                .then().statusCode(429)
                .contentType("application/problem+json")
                .header("Retry-After", "1")
                .body("type", containsString("quota-exhausted"))
                .body("retry_at", equalTo("2025-03-10T12:00:06Z"))
                .body("exhausted[0].account", equalTo("main"))
                .body("exhausted[0].unit", equalTo("requests"))
                .body("exhausted[0].window", equalTo("minute"))
                .body("error.type", equalTo("rate_limit_error"))
                .body("error.code", equalTo("quota-exhausted"))
                .body("error.message", containsString("Every eligible account of openrouter is out of quota"));
    }

    /** The clock stands at 12:00:05: the hour's audio seconds are all used, so the next call waits for 13:00. */
    @Test
    void anHourWindowOfAudioSecondsRefusesUntilTheNextClockHour() {
        String id = reserve("{\"provider\":\"groq-whisper\",\"audio_seconds\":7000}").extract().path("reservation_id");
        authorized().contentType(ContentType.JSON).body("{\"audio_seconds\":7150}").post("/v1/reservations/{id}/commit", id)
                .then().statusCode(200);

        authorized().contentType(ContentType.JSON).body("{\"provider\":\"groq-whisper\",\"audio_seconds\":51}")
                .post("/v1/reservations")
                .then().statusCode(429)
                .header("Retry-After", "3595")
                .body("exhausted[0].unit", equalTo("audio_seconds"))
                .body("exhausted[0].window", equalTo("hour"));
        given().get("/v1/usage").then().statusCode(200)
                .body(WHISPER_AUDIO_HOUR + ".used", equalTo(7150))
                .body(WHISPER_AUDIO_HOUR + ".limit", equalTo(7200))
                .body(WHISPER_AUDIO_HOUR + ".reset_at", equalTo("2025-03-10T13:00:00Z"));
        reserve("{\"provider\":\"groq-whisper\",\"audio_seconds\":50}");
    }

    @Test
    void cooldownReportedByOneCallerIsHonouredForTheNext() {
        authorized().contentType(ContentType.JSON).body("{\"provider\":\"groq\",\"account\":\"org-a\",\"retry_after_seconds\":30}")
                .post("/v1/cooldowns").then().statusCode(200).body("until", equalTo("2025-03-10T12:00:35Z"))
                .body("capped_at_day_reset", equalTo(false));

        for (int i = 0; i < 3; i++) {
            reserve("{\"provider\":\"groq\"}").body("account", equalTo("org-b"));
        }
        given().get("/v1/usage").then().statusCode(200)
                .body("providers.find { it.provider == 'groq' }.accounts.find { it.account == 'org-a' }.cooldown_until",
                        equalTo("2025-03-10T12:00:35Z"));
        clock.advance(Duration.ofSeconds(31));
        reserve("{\"provider\":\"groq\"}").body("account", equalTo("org-a"));
    }

    /** groq's day resets at midnight UTC; the clock stands at 12:00:05. */
    @Test
    void aCooldownEndsAtTheLatestAtTheDayWindowsReset() {
        cooldown("org-a", 1099511627776L).body("until", equalTo("2025-03-11T00:00:00Z")).body("capped_at_day_reset", equalTo(true));
        cooldown("org-a", 30).body("until", equalTo("2025-03-11T00:00:00Z")).body("capped_at_day_reset", equalTo(false));
        cooldown("org-b", 43_195).body("until", equalTo("2025-03-11T00:00:00Z")).body("capped_at_day_reset", equalTo(false));
        cooldown("org-b", 43_196).body("until", equalTo("2025-03-11T00:00:00Z")).body("capped_at_day_reset", equalTo(true));
        given().get("/v1/usage").then().statusCode(200)
                .body("providers.find { it.provider == 'groq' }.accounts.cooldown_until",
                        equalTo(java.util.List.of("2025-03-11T00:00:00Z", "2025-03-11T00:00:00Z")));
        authorized().contentType(ContentType.JSON).body("{\"provider\":\"groq\"}").post("/v1/reservations").then().statusCode(429);

        clock.advance(Duration.ofHours(12));

        reserve("{\"provider\":\"groq\",\"accounts\":[\"org-a\"]}").body("account", equalTo("org-a"));
    }

    @Test
    void abandonedReservationIsRefundedAfterItsTtl() {
        reserve("{\"provider\":\"groq\",\"tokens\":900}");
        given().get("/v1/usage").then().body(GROQ_ORG_A_TOKENS_MINUTE + ".reserved", equalTo(900));

        clock.advance(Duration.ofSeconds(3));

        given().get("/v1/usage").then().body(GROQ_ORG_A_TOKENS_MINUTE + ".reserved", equalTo(0));
    }

    @Test
    void gaugesAndReadinessShowQuotaAndRedis() {
        String id = reserve("{\"provider\":\"groq\",\"tokens\":100}").extract().path("reservation_id");
        authorized().contentType(ContentType.JSON).body("{\"tokens\":250}").post("/v1/reservations/{id}/commit", id).then().statusCode(200);
        given().get("/v1/usage").then().statusCode(200);

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        org.assertj.core.api.Assertions.assertThat(metrics)
                .contains("tiergate_quota_used{account=\"org-a\",provider=\"groq\",unit=\"tokens\",window=\"minute\"} 250.0")
                .contains("tiergate_quota_limit{account=\"org-a\",provider=\"groq\",unit=\"tokens\",window=\"day\"} 500000.0")
                .contains("tiergate_quota_redis_up 1.0");

        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", hasItem("quota-redis"))
                .body("checks.find { it.name == 'quota-redis' }.data.redis", equalTo("UP"));
    }

    private static io.restassured.response.ValidatableResponse cooldown(String account, long retryAfterSeconds) {
        return authorized().contentType(ContentType.JSON)
                .body("{\"provider\":\"groq\",\"account\":\"" + account + "\",\"retry_after_seconds\":" + retryAfterSeconds + "}")
                .post("/v1/cooldowns").then().statusCode(200);
    }

    private static io.restassured.response.ValidatableResponse reserve(String body) {
        return authorized().contentType(ContentType.JSON).body(body).post("/v1/reservations")
                .then().statusCode(201).body("reservation_id", notNullValue());
    }
}
