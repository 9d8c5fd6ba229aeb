package io.tiergate.classification;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** The pod as started with no LLM tier: the default, and what `./tiergate up` runs with no keys. */
public class NoLlmProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("tiergate.classification.llm.enabled", "false");
    }
}
