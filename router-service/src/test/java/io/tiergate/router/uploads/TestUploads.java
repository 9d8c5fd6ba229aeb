package io.tiergate.router.uploads;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.arc.properties.IfBuildProperty;
import io.tiergate.router.config.Capability;
import io.tiergate.router.config.Protocol;
import io.tiergate.router.dispatch.RequestBody;
import io.tiergate.router.pipeline.RoutedCapability;
import io.tiergate.router.pipeline.UsageEstimate;
import io.tiergate.router.scoring.FeatureContribution;
import io.tiergate.router.translation.PassThroughTranslator;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;

/**
 * A capability that exists only in tests, plugged in at the seam like any other (one capability type, one translator):
 * an upload spooled to disk and passed as it is to OpenAI-compatible providers that list {@code transcription}.
 */
public final class TestUploads {

    public static final String PATH = "/v1/test/uploads";

    private TestUploads() {}

    @Singleton
    @IfBuildProperty(name = "test.uploads", stringValue = "true")
    public static class Capability_ implements RoutedCapability<RequestBody> {

        @Override
        public String name() {
            return "test-upload";
        }

        @Override
        public String path() {
            return PATH;
        }

        @Override
        public Capability requires() {
            return Capability.TRANSCRIPTION;
        }

        @Override
        public BodyIntake bodyIntake() {
            return BodyIntake.SPOOLED;
        }

        @Override
        public RequestBody parse(RequestBody body) {
            return body;
        }

        @Override
        public UsageEstimate estimate(RequestBody body) {
            return UsageEstimate.fixed(0, 0, 0);
        }

        @Override
        public List<FeatureContribution> features(RequestBody body) {
            return List.of();
        }

        @Override
        public Optional<String> requestedModel(RequestBody body) {
            return Optional.empty();
        }
    }

    @Singleton
    @IfBuildProperty(name = "test.uploads", stringValue = "true")
    public static class Translator_ extends PassThroughTranslator<RequestBody> {

        public Translator_(ObjectMapper mapper) {
            super("test-upload", PATH.substring("/v1".length()), body -> body, mapper);
        }

        @Override
        public boolean speaks(Protocol protocol) {
            return protocol == Protocol.OPENAI;
        }
    }
}
