package io.tiergate.diarization.config;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;

/** The pod's configuration as Quarkus would map it, with some keys set, for parts built outside the application. */
public final class TestConfigs {

    private TestConfigs() {
    }

    /** The defaults, with each {@code key, value} pair set. */
    public static DiarizationConfig diarization(String... keyValues) {
        var builder = new SmallRyeConfigBuilder().withMapping(DiarizationConfig.class).withValidateUnknown(false)
                .withConverter(Duration.class, 200, new DurationConverter());
        for (int i = 0; i < keyValues.length; i += 2) {
            builder.withDefaultValue(keyValues[i], keyValues[i + 1]);
        }
        return builder.build().getConfigMapping(DiarizationConfig.class);
    }
}
