package io.tiergate.router;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.tiergate.router.providers.ProviderRegistry;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = FakeProviders.class, restrictToAnnotatedClass = false)
class StreamingTest {

    private static final String OPENAI_STREAM = """
            data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"alpha-small","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}

            data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"alpha-small","choices":[{"index":0,"delta":{"content":"Hel"},"finish_reason":null}]}

            data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"alpha-small","choices":[{"index":0,"delta":{"content":"lo"},"finish_reason":"stop"}]}

            data: [DONE]

            """;

    private static final String ANTHROPIC_STREAM = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"model":"claude-sonnet-4-5","stop_reason":null,"usage":{"input_tokens":25,"output_tokens":1}}}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

            event: ping
            data: {"type": "ping"}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hel"}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"lo"}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":0}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":2}}

            event: message_stop
            data: {"type":"message_stop"}

            """;

    @Inject
    ProviderRegistry registry;

    @BeforeEach
    void reset() {
        RouterTestSupport.reset(registry);
    }

    @Test
    void openAiStreamsPassThroughByteForByte() {
        FakeProviders.ALPHA.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/event-stream").withBody(OPENAI_STREAM)));
        String body = given().contentType(ContentType.JSON)
                .body("{\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .when().post("/v1/chat/completions")
                .then().statusCode(200)
                .contentType(containsString("text/event-stream"))
                .header("X-Tiergate-Provider", "alpha")
                .extract().asString();
        assertEquals(OPENAI_STREAM, body);
    }

    @Test
    void anthropicStreamsAreRewrittenAsOpenAiChunks() {
        FakeProviders.CLAUDE.stubFor(post(urlEqualTo("/v1/messages")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/event-stream").withBody(ANTHROPIC_STREAM)));
        String body = given().contentType(ContentType.JSON).header("X-Tiergate-Provider", "claude")
                .body("{\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .when().post("/v1/chat/completions")
                .then().statusCode(200)
                .header("X-Tiergate-Provider", "claude")
                .extract().asString();
        assertTrue(body.contains("\"object\":\"chat.completion.chunk\""), body);
        assertTrue(body.contains("\"delta\":{\"content\":\"Hel\"}"), body);
        assertTrue(body.contains("\"delta\":{\"content\":\"lo\"}"), body);
        assertTrue(body.contains("\"finish_reason\":\"stop\""), body);
        assertTrue(body.trim().endsWith("data: [DONE]"), body);
        assertTrue(!body.contains("content_block_delta"), body);
    }

    @Test
    void aFailingStreamFallsBackBeforeTheFirstByte() {
        RouterTestSupport.fails(FakeProviders.ALPHA, 503);
        FakeProviders.BETA.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "text/event-stream").withBody(OPENAI_STREAM)));
        String body = given().contentType(ContentType.JSON)
                .body("{\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .when().post("/v1/chat/completions")
                .then().statusCode(200)
                .header("X-Tiergate-Provider", "beta")
                .extract().asString();
        assertEquals(OPENAI_STREAM, body);
    }
}
