package io.tiergate.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.http.client.jdk.JdkHttpClientBuilder;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import io.netty.handler.codec.http2.Http2Error;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.tiergate.router.dispatch.RequestBody;
import io.tiergate.router.dispatch.UpstreamClient;
import io.tiergate.router.dispatch.UpstreamReply;
import io.tiergate.router.dispatch.UpstreamRequest;
import io.tiergate.router.providers.ProviderRegistry;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.StreamResetException;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A stream the provider breaks off mid-way reaches the caller whole (every byte the provider sent) and then as an
 * error, never as a clean end: an HTTP/2 stream (h2c, by prior knowledge or upgrade) is reset with an error code, an
 * HTTP/1.1 response is cut off without its last chunk. Each test repeats the call: how the relay meets the cut is a
 * race, and the provider varies its timing and the way it drops the connection from call to call
 * ({@link CuttingProvider}).
 */
@QuarkusTest
@QuarkusTestResource(value = FakeProviders.class, restrictToAnnotatedClass = false)
class CutStreamsTest {

    private static final int RUNS = 20;
    private static final String CHAT = "{\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static final Map<String, String> TO_CUTTER = Map.of("X-Tiergate-Provider", "cutter");

    @Inject
    ProviderRegistry registry;

    @Inject
    Vertx vertx;

    @Inject
    UpstreamClient upstreamClient;

    @TestHTTPResource("/v1/chat/completions")
    URL completions;

    @TestHTTPResource("/v1")
    URL v1;

    @BeforeEach
    void enableTheCutter() {
        RouterTestSupport.reset(registry);
        registry.find("cutter").orElseThrow().setEnabled(true);
    }

    @AfterEach
    void disableTheCutter() {
        registry.find("cutter").orElseThrow().setEnabled(false);
    }

    /** What a caller saw of one stream: the bytes it got, then either the end or the error that came instead. */
    private record Seen(HttpVersion version, String received, boolean ended, Throwable error) {}

    @Test
    void overHttp2EverythingSentArrivesAndThenTheStreamIsResetWithAnError() throws Exception {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
        try {
            for (int run = 0; run < RUNS; run++) {
                Seen seen = callThrough(client, HttpVersion.HTTP_2);
                assertThat(seen.received()).as("run %d", run).isEqualTo(CuttingProvider.SENT);
                assertThat(seen.ended()).as("run %d ended cleanly", run).isFalse();
                // A reset with NO_ERROR reads as a clean end to clients such as curl.
                assertThat(seen.error()).as("run %d", run).isInstanceOfSatisfying(StreamResetException.class,
                        reset -> assertThat(reset.getCode()).isNotEqualTo(Http2Error.NO_ERROR.code()));
            }
        } finally {
            client.close();
        }
    }

    @Test
    void overHttp1EverythingSentArrivesAndThenTheResponseIsCutOff() throws Exception {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_1_1));
        try {
            for (int run = 0; run < RUNS; run++) {
                Seen seen = callThrough(client, HttpVersion.HTTP_1_1);
                assertThat(seen.received()).as("run %d", run).isEqualTo(CuttingProvider.SENT);
                assertThat(seen.ended()).as("run %d ended cleanly", run).isFalse();
                assertThat(seen.error()).as("run %d", run).isNotNull();
            }
        } finally {
            client.close();
        }
    }

    /**
     * A provider's stream that breaks off before the relay has started keeps its failure for the relay: Vert.x would
     * only log it, and the relay would wait for an end that never comes (the caller hanging).
     */
    @Test
    void aStreamBrokenOffBeforeTheRelayStartsKeepsItsFailure() throws Exception {
        // Four runs: every way the provider breaks a stream off.
        for (int run = 0; run < 4; run++) {
            int cuts = FakeProviders.CUTTER.cuts();
            UpstreamRequest request = new UpstreamRequest(FakeProviders.CUTTER.baseUrl() + "/v1/chat/completions",
                    MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json"), RequestBody.of(Buffer.buffer(CHAT)),
                    true, Duration.ofSeconds(5));
            UpstreamReply reply = upstreamClient.send(request).await().atMost(Duration.ofSeconds(5));
            assertThat(FakeProviders.CUTTER.awaitCutsBeyond(cuts, Duration.ofSeconds(5))).isTrue();
            // Time for the router's event loop to see the connection drop (were it too short, the test could only pass).
            Thread.sleep(200);
            CompletableFuture<Void> ended = reply.stream().end().toCompletionStage().toCompletableFuture();
            assertThatThrownBy(() -> ended.get(5, TimeUnit.SECONDS)).as("run %d", run).isInstanceOf(ExecutionException.class);
        }
    }

    /**
     * The caller reads nothing until the provider has sent its whole answer and broken it off, so the router holds some
     * of it back (paused) when the break comes; it must still pass all of it on before the error.
     */
    @ParameterizedTest
    @EnumSource(value = HttpVersion.class, names = {"HTTP_1_1", "HTTP_2"})
    void aCallerReadingLateStillGetsEverythingSentBeforeTheError(HttpVersion protocol) throws Exception {
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setProtocolVersion(protocol).setHttp2ClearTextUpgrade(false));
        String longChat = "{\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Write " + CuttingProvider.LONG_ANSWER + "\"}]}";
        try {
            for (int run = 0; run < 6; run++) {
                Seen seen = callThrough(client, protocol, longChat, true);
                assertThat(seen.received()).as("run %d", run).isEqualTo(CuttingProvider.LONG_SENT);
                assertThat(seen.ended()).as("run %d ended cleanly", run).isFalse();
                assertThat(seen.error()).as("run %d", run).isNotNull();
            }
        } finally {
            client.close();
        }
    }

    /**
     * The JDK client, as LangChain4j's default HTTP client uses it, asks for HTTP/2 on a plain connection (h2c upgrade).
     * Its body is read by a subscriber, which gets every byte before the error; the client's InputStream does not: it
     * drops what it holds unread once the error has come.
     */
    @Test
    void aJdkClientUpgradedToHttp2GetsEverythingSentAndThenAnError() throws Exception {
        java.net.http.HttpClient client = jdkClientOverHttp2().build();
        for (int run = 0; run < RUNS; run++) {
            HttpRequest request = HttpRequest.newBuilder(completions.toURI()).header("Content-Type", "application/json")
                    .header("X-Tiergate-Provider", "cutter").POST(HttpRequest.BodyPublishers.ofString(CHAT)).build();
            BodyCollector body = new BodyCollector();
            // A reset before the response's head fails the response, and never reaches the body's subscriber.
            client.sendAsync(request, body).exceptionally(error -> {
                body.outcome.completeExceptionally(error);
                return null;
            });
            assertThatThrownBy(() -> body.outcome.get(5, TimeUnit.SECONDS)).as("run %d", run).hasRootCauseInstanceOf(IOException.class);
            assertThat(body.version).isEqualTo(java.net.http.HttpClient.Version.HTTP_2);
            assertThat(body.received.toString(StandardCharsets.UTF_8)).as("run %d", run).isEqualTo(CuttingProvider.SENT);
        }
    }

    /** LangChain4j's OpenAI client over HTTP/2 (its JDK client's default, set here so the test does not rely on it). */
    @Test
    void langChain4jsStreamingChatGetsItsErrorInsteadOfHanging() throws Exception {
        OpenAiStreamingChatModel model = OpenAiStreamingChatModel.builder()
                .baseUrl(v1.toString()).apiKey("unused").modelName("auto").customHeaders(TO_CUTTER)
                .httpClientBuilder(new JdkHttpClientBuilder().httpClientBuilder(jdkClientOverHttp2()))
                .build();
        for (int run = 0; run < RUNS / 2; run++) {
            List<String> partials = new CopyOnWriteArrayList<>();
            CompletableFuture<ChatResponse> outcome = new CompletableFuture<>();
            model.chat("hi", new StreamingChatResponseHandler() {
                @Override
                public void onPartialResponse(String partial) {
                    partials.add(partial);
                }

                @Override
                public void onCompleteResponse(ChatResponse response) {
                    outcome.complete(response);
                }

                @Override
                public void onError(Throwable error) {
                    outcome.completeExceptionally(error);
                }
            });
            assertThatThrownBy(() -> outcome.get(5, TimeUnit.SECONDS)).as("run %d", run)
                    .isInstanceOf(ExecutionException.class);
            // Its client reads the body through the JDK's InputStream, which may drop the last events it held unread.
            assertThat("Hello").as("run %d", run).startsWith(String.join("", partials));
        }
    }

    private static java.net.http.HttpClient.Builder jdkClientOverHttp2() {
        return java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_2);
    }

    private Seen callThrough(HttpClient client, HttpVersion expected) throws Exception {
        return callThrough(client, expected, CHAT, false);
    }

    /**
     * Sends {@code chat} to the cutter and reads the answer; {@code readLate}: only once the provider has sent its
     * (long) answer whole and cut it, by then more than the router could pass on to a caller that does not read.
     */
    private Seen callThrough(HttpClient client, HttpVersion expected, String chat, boolean readLate) throws Exception {
        int cuts = FakeProviders.CUTTER.cuts();
        CompletableFuture<Seen> seen = new CompletableFuture<>();
        CompletableFuture<HttpClientResponse> head = new CompletableFuture<>();
        Buffer received = Buffer.buffer();
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(completions.toString())
                .putHeader("Content-Type", "application/json").putHeader("X-Tiergate-Provider", "cutter");
        client.request(options)
                .compose(request -> request.send(chat))
                .onSuccess(response -> {
                    if (readLate) {
                        response.pause();
                    }
                    response.handler(received::appendBuffer);
                    response.endHandler(ignored -> seen.complete(new Seen(response.version(), received.toString(), true, null)));
                    response.exceptionHandler(error -> seen.complete(new Seen(response.version(), received.toString(), false, error)));
                    head.complete(response);
                })
                .onFailure(error -> {
                    seen.complete(new Seen(null, received.toString(), false, error));
                    head.completeExceptionally(error);
                });
        if (readLate) {
            HttpClientResponse response = head.get(5, TimeUnit.SECONDS);
            assertThat(FakeProviders.CUTTER.awaitCutsBeyond(cuts, Duration.ofSeconds(5))).as("the long answer was sent and cut").isTrue();
            response.resume();
        }
        Seen result = seen.get(5, TimeUnit.SECONDS);
        assertThat(result.version()).isEqualTo(expected);
        return result;
    }

    /** Keeps the protocol and the bytes of a JDK client's response, and how its body ended. */
    private static final class BodyCollector implements HttpResponse.BodyHandler<Void>, Flow.Subscriber<List<ByteBuffer>> {

        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final CompletableFuture<Void> outcome = new CompletableFuture<>();
        volatile java.net.http.HttpClient.Version version;

        @Override
        public HttpResponse.BodySubscriber<Void> apply(HttpResponse.ResponseInfo response) {
            version = response.version();
            return HttpResponse.BodySubscribers.fromSubscriber(this);
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                received.writeBytes(bytes);
            }
        }

        @Override
        public void onError(Throwable error) {
            outcome.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            outcome.complete(null);
        }
    }
}
