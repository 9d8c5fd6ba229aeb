package io.tiergate.router;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * WireMock servers standing in for the providers in the test configuration: two OpenAI-compatible
 * clouds (alpha, beta), a quota-limited one (gamma), Anthropic's Messages API (claude), a local
 * Ollama with its health URL, a Tiergate classification pod (classifier), a provider whose streams break off
 * (cutter, {@link CuttingProvider}), and a listener that never accepts a connection, behind the quota-limited
 * provider blackhole. Speech providers, which only {@link ExtraProvidersProfile} configures, find theirs under
 * {@code test.fake.*-url}: Groq's and OpenAI's audio APIs and Hugging Face's speech recognition.
 */
public class FakeProviders implements QuarkusTestResourceLifecycleManager {

    public static final WireMockServer ALPHA = new WireMockServer(wireMockConfig().dynamicPort());
    public static final WireMockServer BETA = new WireMockServer(wireMockConfig().dynamicPort());
    public static final WireMockServer CLAUDE = new WireMockServer(wireMockConfig().dynamicPort());
    public static final WireMockServer OLLAMA = new WireMockServer(wireMockConfig().dynamicPort());
    public static final WireMockServer GAMMA = new WireMockServer(wireMockConfig().dynamicPort());
    public static final WireMockServer POD = new WireMockServer(wireMockConfig().dynamicPort());
    public static final WireMockServer GROQ_AUDIO = new WireMockServer(wireMockConfig().dynamicPort());
    public static final WireMockServer OPENAI_AUDIO = new WireMockServer(wireMockConfig().dynamicPort());
    public static final WireMockServer HF = new WireMockServer(wireMockConfig().dynamicPort());
    private static final WireMockServer[] ALL = {ALPHA, BETA, CLAUDE, OLLAMA, GAMMA, POD, GROQ_AUDIO, OPENAI_AUDIO, HF};
    private static UnansweredListener unanswered;
    public static final CuttingProvider CUTTER = new CuttingProvider();

    @Override
    public Map<String, String> start() {
        for (WireMockServer server : ALL) {
            if (!server.isRunning()) {
                server.start();
            }
        }
        if (unanswered == null) {
            try {
                unanswered = new UnansweredListener();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Map.ofEntries(
                Map.entry("tiergate.providers.alpha.base-url", ALPHA.baseUrl() + "/v1"),
                Map.entry("tiergate.providers.beta.base-url", BETA.baseUrl() + "/v1"),
                Map.entry("tiergate.providers.claude.base-url", CLAUDE.baseUrl() + "/v1"),
                Map.entry("tiergate.providers.ollama.base-url", OLLAMA.baseUrl() + "/v1"),
                Map.entry("tiergate.providers.gamma.base-url", GAMMA.baseUrl() + "/v1"),
                Map.entry("tiergate.providers.delta.base-url", GAMMA.baseUrl() + "/v1"),
                Map.entry("tiergate.providers.classifier.base-url", POD.baseUrl() + "/v1"),
                Map.entry("tiergate.providers.blackhole.base-url", unanswered.baseUrl() + "/v1"),
                Map.entry("tiergate.providers.cutter.base-url", CUTTER.baseUrl() + "/v1"),
                Map.entry("tiergate.providers.ollama.health-url", OLLAMA.baseUrl() + "/api/tags"),
                Map.entry("test.fake.groq-url", GROQ_AUDIO.baseUrl()),
                Map.entry("test.fake.openai-url", OPENAI_AUDIO.baseUrl()),
                Map.entry("test.fake.hf-url", HF.baseUrl()));
    }

    @Override
    public void stop() {
        for (WireMockServer server : ALL) {
            server.stop();
        }
        if (unanswered != null) {
            try {
                unanswered.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            unanswered = null;
        }
    }

    public static void resetAll() {
        for (WireMockServer server : ALL) {
            server.resetAll();
        }
    }
}
