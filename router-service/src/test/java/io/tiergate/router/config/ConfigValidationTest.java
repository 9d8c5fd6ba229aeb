package io.tiergate.router.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.quarkus.runtime.configuration.DurationConverter;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    private static RouterConfig map(Map<String, String> properties) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(RouterConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(properties, "test", 100))
                .build();
        return config.getConfigMapping(RouterConfig.class);
    }

    @Test
    void aValidConfigurationHasNoErrors() {
        RouterConfig config = map(validProvider());
        assertThat(ConfigValidator.validate(config)).isEmpty();
        assertThat(config.providers().get("groq").accounts().get("org-a").limits().requests().perDay()).hasValue(14400);
    }

    @Test
    void semanticErrorsNameTheKey() {
        Map<String, String> properties = validProvider();
        properties.put("tiergate.providers.groq.base-url", "not a url");
        properties.put("tiergate.providers.groq.models.complex", "big");
        properties.remove("tiergate.providers.groq.accounts.org-a.api-key-env");
        properties.put("tiergate.scoring.medium-threshold", "7");
        List<String> errors = ConfigValidator.validate(map(properties));
        assertThat(errors).anyMatch(e -> e.startsWith("tiergate.providers.groq.base-url"));
        assertThat(errors).anyMatch(e -> e.startsWith("tiergate.providers.groq.models.complex"));
        assertThat(errors).anyMatch(e -> e.startsWith("tiergate.providers.groq.accounts.org-a.api-key-env"));
        assertThat(errors).anyMatch(e -> e.startsWith("tiergate.scoring.medium-threshold"));
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
