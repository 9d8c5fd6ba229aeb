package io.tiergate.router;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.tiergate.quota.AccountQuota;
import io.tiergate.quota.QuotaLedger;
import io.tiergate.quota.testing.RedisServer;
import io.tiergate.router.providers.Provider;
import io.tiergate.router.providers.ProviderRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Puts the fake providers and the router's run-time state back to a known start before each test. */
final class RouterTestSupport {

    static final String SIMPLE_CHAT = """
            {"model":"auto","messages":[{"role":"user","content":"Say hi"}]}
            """;
    static final String MEDIUM_CHAT = """
            {"model":"auto","max_tokens":1500,"messages":[
              {"role":"system","content":"You are a careful analyst."},
              {"role":"user","content":"Compare the two proposals below and explain why one is better. Think step by step about the pros and cons."}]}
            """;
    static final String COMPLEX_CHAT = """
            {"model":"auto","max_tokens":4000,"response_format":{"type":"json_object"},"messages":[
              {"role":"system","content":"You are an expert."},
              {"role":"user","content":"Prove that the integral of x^2 is x^3/3, derive it step by step, then analyze and compare it with a Python function:\\n```python\\ndef f(x):\\n    return x**3/3\\n```\\nJustify every trade-off."}]}
            """;

    /** Where the router keeps the providers' switches (tiergate.router.admin.overrides-key). */
    static final String OVERRIDES_KEY = "tiergate:router:provider-overrides";

    private RouterTestSupport() {}

    /** Something to run that may throw. */
    interface Step {
        void run() throws Exception;
    }

    /**
     * The messages of the errors the router logs while {@code step} runs and for {@code settle} after it: what a
     * caller's mistake or a hang-up must not produce.
     */
    static List<String> errorsLoggedDuring(Duration settle, Step step) throws Exception {
        List<String> errors = new CopyOnWriteArrayList<>();
        Handler recorder = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                    errors.add(record.getMessage());
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Logger routerLog = Logger.getLogger("io.tiergate.router");
        routerLog.addHandler(recorder);
        try {
            step.run();
            Thread.sleep(settle.toMillis());
        } finally {
            routerLog.removeHandler(recorder);
        }
        return errors;
    }

    static void reset(ProviderRegistry registry) {
        FakeProviders.resetAll();
        // Switches an earlier test changed through the admin API are stored in Redis for every replica: gone too.
        if (System.getProperty(RedisServer.PORT_PROPERTY) != null && RedisServer.attached().running()) {
            RedisServer.attached().command("DEL " + OVERRIDES_KEY);
        }
        CircuitBreakerMaintenance.get().resetAll();
        for (Provider provider : registry.all()) {
            provider.setEnabled(provider.config().enabled());
            provider.setPriority(provider.config().priority());
            provider.recordProbe(Provider.ProbeResult.NOT_PROBED);
        }
    }

    /**
     * Empties the quota ledger once every hold is settled. The router settles a reservation without waiting for Redis,
     * so the previous test's commit can still be on its way when its caller has the answer; flushed before it lands, it
     * would count that test's usage in this one.
     */
    static void flushLedgerWhenSettled(ProviderRegistry registry, QuotaLedger ledger) {
        List<AccountQuota> accounts = registry.all().stream().flatMap(provider -> provider.backends().stream())
                .flatMap(backend -> backend.quota().stream()).toList();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).until(() -> ledger.report(accounts)
                .await().atMost(Duration.ofSeconds(5)).accounts().stream().flatMap(account -> account.windows().stream())
                .allMatch(window -> window.reserved() == 0));
        RedisServer.attached().flushAll();
    }

    static void answers(WireMockServer server, String model, String text) {
        server.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(okJson(ProviderResponses.openAiCompletion(model, text))));
    }

    static void fails(WireMockServer server, int status) {
        server.stubFor(post(urlEqualTo("/v1/chat/completions")).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(ProviderResponses.openAiError("upstream failed"))));
    }
}
