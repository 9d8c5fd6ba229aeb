package io.tiergate.deploy;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.source.yaml.YamlConfigSource;
import io.smallrye.config.validator.BeanValidationConfigValidator;
import io.tiergate.router.config.ConfigValidator;
import io.tiergate.router.config.ProvidersConfig;
import io.tiergate.router.config.RouterConfig;
import io.tiergate.router.config.TiersConfig;
import io.tiergate.usage.config.SharedProviders;
import io.tiergate.usage.config.TrackerConfig;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;

/**
 * The shared Tiergate YAML read as the services read it at start-up: the router's own {@code @ConfigMapping}s with
 * their Bean Validation constraints, then its {@link ConfigValidator}, which fails start-up naming every bad key; and
 * the usage tracker's mapping of the accounts it counts.
 */
final class SharedConfig {

    /** Where Quarkus puts config/application.yaml of the working directory, as the ConfigMap is mounted. */
    private static final int WORKING_DIRECTORY_ORDINAL = 265;

    /** Bean Validation is slow to start: one validator serves every reading. */
    private static final Validator VALIDATOR = Validation.byDefaultProvider().configure()
            .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory().getValidator();

    private static final Map<String, SmallRyeConfig> READ = new ConcurrentHashMap<>();

    private SharedConfig() {
    }

    static SmallRyeConfig asTheRouterReadsIt(String yaml) {
        SmallRyeConfig known = READ.get(yaml);
        if (known != null) {
            return known;
        }
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withMapping(RouterConfig.class)
                .withMapping(ProvidersConfig.class)
                .withMapping(TiersConfig.class)
                .withValidator((BeanValidationConfigValidator) () -> VALIDATOR)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new YamlConfigSource("ConfigMap application.yaml", yaml, WORKING_DIRECTORY_ORDINAL))
                .build();
        new ConfigValidator(config.getConfigMapping(RouterConfig.class), config.getConfigMapping(ProvidersConfig.class));
        READ.put(yaml, config);
        return config;
    }

    /**
     * The shared YAML as the usage tracker reads it: the accounts, limits and quota policies of {@link SharedProviders},
     * the rest of each provider being the router's (the tracker does not refuse keys it does not map).
     */
    static SharedProviders asTheTrackerReadsIt(String yaml) {
        return new SmallRyeConfigBuilder()
                .withMapping(SharedProviders.class)
                .withMapping(TrackerConfig.class)
                .withValidator((BeanValidationConfigValidator) () -> VALIDATOR)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withDefaultValue("smallrye.config.mapping.validate-unknown", "false")
                .withSources(new YamlConfigSource("ConfigMap application.yaml", yaml, WORKING_DIRECTORY_ORDINAL))
                .build()
                .getConfigMapping(SharedProviders.class);
    }

    /** The environment variables the accounts take their keys from. */
    static Set<String> apiKeyVariables(String yaml) {
        Set<String> variables = new TreeSet<>();
        asTheRouterReadsIt(yaml).getConfigMapping(ProvidersConfig.class).all().values()
                .forEach(provider -> provider.accounts().values()
                        .forEach(account -> account.apiKeyEnv().ifPresent(variables::add)));
        return variables;
    }
}
