package io.tiergate.router.capability.tasks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiergate.router.config.Protocol;
import io.tiergate.router.translation.PassThroughTranslator;
import jakarta.inject.Singleton;

/** Classifications and extractions to Tiergate pods, which take them as the caller sent them. */
final class PodTaskTranslators {

    private PodTaskTranslators() {}

    @Singleton
    static class Classifications extends PassThroughTranslator<ClassificationCall> {
        Classifications(ObjectMapper mapper) {
            super(ClassificationCapability.NAME, "/classifications", ClassificationCall::body, mapper);
        }

        @Override
        public boolean speaks(Protocol protocol) {
            return protocol == Protocol.POD;
        }
    }

    @Singleton
    static class Extractions extends PassThroughTranslator<ExtractionCall> {
        Extractions(ObjectMapper mapper) {
            super(ExtractionCapability.NAME, "/extractions", ExtractionCall::body, mapper);
        }

        @Override
        public boolean speaks(Protocol protocol) {
            return protocol == Protocol.POD;
        }
    }
}
