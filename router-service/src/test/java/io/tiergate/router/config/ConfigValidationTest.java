package io.tiergate.router.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.validator.BeanValidationConfigValidator;
import jakarta.validation.Validation;
import io.smallrye.config.source.yaml.YamlConfigSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.Test;

/** Runs the real configuration mapping over small property sets, as startup would. */
class ConfigValidationTest {

    private static Map<String, String> validProvider() {
        Map<String, String> properties = new HashMap<>();
        properties.put("tiergate.providers.groq.protocol", "openai");
        properties.put("tiergate.providers.groq.base-url", "https://api.groq.com/openai/v1");
        properties.put("tiergate.providers.groq.capabilities", "chat");
        properties.put("tiergate.providers.groq.tiers", "simple,medium");
        properties.put("tiergate.providers.groq.models.simple", "llama-3.1-8b-instant");
        properties.put("tiergate.providers.groq.accounts.org-a.api-key-env", "GROQ_API_KEY");
        properties.put("tiergate.providers.groq.accounts.org-a.limits.requests.per-day", "14400");
        properties.put("tiergate.tiers.simple.strategy", "least-used");
        return properties;
    }

    /** The router's mappings as Quarkus builds them at start-up, Bean Validation constraints included. */
    private static SmallRyeConfig map(Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withMapping(RouterConfig.class)
                .withMapping(ProvidersConfig.class)
                .withMapping(TiersConfig.class)
                .withValidator((BeanValidationConfigValidator) () -> Validation.byDefaultProvider().configure()
                        .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory().getValidator())
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .build();
    }

    private static List<String> validate(Map<String, String> properties) {
        SmallRyeConfig config = map(properties);
        return ConfigValidator.validate(config.getConfigMapping(RouterConfig.class), config.getConfigMapping(ProvidersConfig.class));
    }

    @Test
    void aValidConfigurationHasNoErrors() {
        SmallRyeConfig config = map(validProvider());
        assertThat(validate(validProvider())).isEmpty();
        assertThat(config.getConfigMapping(ProvidersConfig.class).all().get("groq").accounts().get("org-a").limits().requests().perDay())
                .hasValue(14400);
        assertThat(config.getConfigMapping(TiersConfig.class).all().get(Tier.SIMPLE).strategy()).isEqualTo(Strategy.LEAST_USED);
    }

    @Test
    void outOfRangeValuesAreRefusedNamingTheKey() {
        Map<String, String> properties = validProvider();
        properties.put("tiergate.router.dispatch.jitter", "1.5");
        properties.put("tiergate.providers.groq.priority", "-1");
        properties.put("tiergate.providers.groq.cost.input-per-million", "-2");
        assertThatThrownBy(() -> map(properties))
                .hasMessageContaining("tiergate.router.dispatch.jitter")
                .hasMessageContaining("tiergate.providers.groq.priority")
                .hasMessageContaining("tiergate.providers.groq.cost.input-per-million");
    }

    @Test
    void otherServicesKeysInTheSharedFileDoNotStopTheRouter() {
        Map<String, String> properties = validProvider();
        properties.put("tiergate.classification.local.model", "all-minilm-l6-v2-q");
        properties.put("tiergate.classification.cascade.threshold", "0.8");
        properties.put("tiergate.usage.metrics-refresh", "10s");
        assertThat(validate(properties)).isEmpty();
    }

    @Test
    void semanticErrorsNameTheKey() {
        Map<String, String> properties = validProvider();
        properties.put("tiergate.providers.groq.base-url", "not a url");
        properties.put("tiergate.providers.groq.models.complex", "big");
        properties.remove("tiergate.providers.groq.accounts.org-a.api-key-env");
        properties.put("tiergate.router.scoring.medium-threshold", "7");
        List<String> errors = validate(properties);
        assertThat(errors).anyMatch(e -> e.startsWith("tiergate.providers.groq.base-url"));
        assertThat(errors).anyMatch(e -> e.startsWith("tiergate.providers.groq.models.complex"));
        assertThat(errors).anyMatch(e -> e.startsWith("tiergate.providers.groq.accounts.org-a.api-key-env"));
        assertThat(errors).anyMatch(e -> e.startsWith("tiergate.router.scoring.medium-threshold"));
    }

    @Test
    void speechSettingsAreCheckedNamingTheKey() {
        Map<String, String> properties = validProvider();
        properties.put("tiergate.providers.hf.protocol", "hf-inference");
        properties.put("tiergate.providers.hf.base-url", "https://router.huggingface.co/hf-inference/models");
        properties.put("tiergate.providers.hf.capabilities", "transcription");
        properties.put("tiergate.providers.hf.tiers", "simple");
        properties.put("tiergate.providers.hf.accounts.main.api-key-env", "HF_TOKEN");
        properties.put("tiergate.providers.groq.accounts.org-a.limits.audio-seconds.per-hour", "-1");
        assertThat(validate(properties)).containsExactlyInAnyOrder(
                "tiergate.providers.hf.models must name a model: Hugging Face's speech recognition takes it in its URL",
                "tiergate.providers.groq.accounts.org-a.limits.audio-seconds.per-hour must not be negative");

        Map<String, String> noRoom = validProvider();
        noRoom.put("tiergate.providers.groq.max-audio-bytes", "0");
        assertThatThrownBy(() -> map(noRoom)).hasMessageContaining("tiergate.providers.groq.max-audio-bytes");
    }

    /** The file every service reads, as shipped. */
    @Test
    void theSharedConfigurationFileIsValid() throws IOException {
        Path dir = Path.of("").toAbsolutePath();
        while (!Files.exists(dir.resolve("mvnw"))) {
            dir = dir.getParent();
        }
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(RouterConfig.class)
                .withMapping(ProvidersConfig.class)
                .withMapping(TiersConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new YamlConfigSource(dir.resolve("config/tiergate.yaml").toUri().toURL(), 100))
                .build();
        ProvidersConfig providers = config.getConfigMapping(ProvidersConfig.class);
        assertThat(ConfigValidator.validate(config.getConfigMapping(RouterConfig.class), providers)).isEmpty();
        assertThat(providers.all().get("groq-whisper").accounts().get("org-a").limits().audioSeconds().perHour()).hasValue(7200);
        assertThat(providers.all().get("transcriber").capabilities()).contains(Capability.TRANSCRIPTION, Capability.TRANSLATION);
    }

    @Test
    void typeErrorsNameTheKey() {
        Map<String, String> properties = validProvider();
        properties.put("tiergate.providers.groq.protocol", "carrier-pigeon");
        assertThatThrownBy(() -> map(properties)).hasMessageContaining("tiergate.providers.groq.protocol");

        Map<String, String> badTier = validProvider();
        badTier.put("tiergate.providers.groq.tiers", "simple,gigantic");
        assertThatThrownBy(() -> map(badTier)).hasMessageContaining("tiergate.providers.groq.tiers");

        Map<String, String> missing = validProvider();
        missing.remove("tiergate.providers.groq.base-url");
        assertThatThrownBy(() -> map(missing)).hasMessageContaining("tiergate.providers.groq.base-url");
    }
}
