package io.tiergate.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.smallrye.config.SmallRyeConfig;
import io.tiergate.quota.QuotaLimitsConfig;
import io.tiergate.router.config.Capability;
import io.tiergate.router.config.Protocol;
import io.tiergate.router.config.ProvidersConfig;
import io.tiergate.router.config.RouterConfig;
import io.tiergate.router.config.Tier;
import io.tiergate.usage.config.SharedProviders;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The ConfigMap the chart renders is what the router and the usage tracker parse, and the chart's providers are the
 * repository's.
 */
class SharedConfigTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static Stream<String> valuesFiles() {
        return ChartTest.valuesFiles();
    }

    @ParameterizedTest
    @MethodSource("valuesFiles")
    void theRouterAndTheTrackerAcceptTheRenderedConfigMap(String valuesFile) {
        Chart.Rendered rendered = valuesFile.equals("default") ? Chart.render() : Chart.render(valuesFile);
        SmallRyeConfig config = SharedConfig.asTheRouterReadsIt(rendered.sharedConfig());
        Map<String, ProvidersConfig.ProviderConfig> providers = config.getConfigMapping(ProvidersConfig.class).all();
        assertThat(providers.get("classifier").baseUrl()).isEqualTo("http://tiergate-classification:8082/v1");
        assertThat(providers.get("classifier").protocol()).isEqualTo(Protocol.POD);
        assertThat(providers.get("transcriber").healthUrl()).hasValue("http://tiergate-transcription:8083/q/health/ready");
        assertThat(providers.get("diarizer").capabilities()).containsExactly(Capability.DIARIZATION);
        assertThat(providers.get("diarizer").baseUrl()).isEqualTo("http://tiergate-diarization:8084/v1");
        assertThat(providers.get("diarizer").protocol()).isEqualTo(Protocol.POD);
        assertThat(providers.get("openai-diarize").models().get(Tier.MEDIUM)).isEqualTo("gpt-4o-transcribe-diarize");
        assertThat(providers.get("groq").accounts().get("org-b").limits().tokens().perDay()).hasValue(500000);

        SharedProviders tracked = SharedConfig.asTheTrackerReadsIt(rendered.sharedConfig());
        // The tracker counts every account the router limits (one without limits has nothing to count).
        providers.forEach((name, provider) -> provider.accounts().forEach((account, accountConfig) -> {
            if (limited(accountConfig.limits())) {
                assertThat(tracked.all()).as(name).containsKey(name);
                assertThat(tracked.all().get(name).accounts()).as(name).containsKey(account);
            }
        }));
        assertThat(tracked.all().get("groq-whisper").accounts().get("org-a").limits().audioSeconds().perHour()).hasValue(7200);
        assertThat(tracked.all().get("openai").paid()).isTrue();
    }

    private static boolean limited(QuotaLimitsConfig limits) {
        return Stream.of(limits.requests(), limits.tokens(), limits.audioSeconds()).anyMatch(window ->
                window.perMinute().isPresent() || window.perHour().isPresent() || window.perDay().isPresent());
    }

    @Test
    void accountsAddedInValuesReachTheRouterAndZeroBudgetIsTheDefault() {
        SmallRyeConfig multi = SharedConfig.asTheRouterReadsIt(Chart.render("multi-account").sharedConfig());
        ProvidersConfig.AccountConfig orgC = multi.getConfigMapping(ProvidersConfig.class).all().get("groq").accounts().get("org-c");
        assertThat(orgC.apiKeyEnv()).hasValue("GROQ_API_KEY_3");
        assertThat(orgC.limits().requests().perDay()).hasValue(14400);
        assertThat(multi.getConfigMapping(RouterConfig.class).budget().allowPaid()).isTrue();
        SmallRyeConfig defaults = SharedConfig.asTheRouterReadsIt(Chart.render().sharedConfig());
        assertThat(defaults.getConfigMapping(RouterConfig.class).budget().allowPaid()).isFalse();
    }

    @Test
    void aBadConfigMapWouldStopTheRouterNamingTheKey() {
        // The check itself can fail: a rendered file the router refuses is reported with the key.
        String broken = Chart.render().sharedConfig().replace("protocol: anthropic", "protocol: smoke-signals");
        assertThatThrownBy(() -> SharedConfig.asTheRouterReadsIt(broken)).hasMessageContaining("tiergate.providers.anthropic.protocol");
    }

    /**
     * The chart's default providers are config/tiergate.yaml's, so a provider, account or limit added to one is not
     * forgotten in the other. Local engines differ only in their URLs (in-cluster names instead of localhost).
     */
    @Test
    void theChartsProvidersAreTheRepositorysSharedFile() throws IOException {
        JsonNode repository = YAML.readTree(Files.readString(Repository.root().resolve("config/tiergate.yaml")))
                .path("tiergate").path("providers");
        JsonNode chart = YAML.readTree(Chart.render().sharedConfig()).path("tiergate").path("providers");
        assertThat(names(chart)).containsExactlyInAnyOrderElementsOf(names(repository));
        for (String name : names(repository)) {
            ObjectNode expected = withoutLocalUrls(repository.get(name));
            ObjectNode actual = withoutLocalUrls(chart.get(name));
            assertThat(actual).as("provider %s", name).isEqualTo(expected);
        }
    }

    private static List<String> names(JsonNode providers) {
        List<String> names = new ArrayList<>();
        providers.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static ObjectNode withoutLocalUrls(JsonNode provider) {
        ObjectNode copy = provider.deepCopy();
        if (copy.path("local").asBoolean(false)) {
            copy.remove("base-url");
            copy.remove("health-url");
        }
        normaliseNumbers(copy);
        return copy;
    }

    /** YAML 0.88 and 0.880, 10 and 10.0 are the same number to the router. */
    private static void normaliseNumbers(ObjectNode node) {
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (field.getValue().isNumber()) {
                field.setValue(node.numberNode(field.getValue().decimalValue().stripTrailingZeros()));
            } else if (field.getValue() instanceof ObjectNode child) {
                normaliseNumbers(child);
            }
        }
    }
}
