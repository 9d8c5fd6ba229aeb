package io.tiergate.common.classification;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** A native image holds only the resources its configuration names: the built-in examples must be among them. */
class NativeResourcesTest {

    @Test
    void theBuiltInExamplesAreIncludedInANativeImage() throws IOException {
        List<String> resources = new ArrayList<>(List.of("io/tiergate/common/classification/ic-ooc-examples.tsv"));
        for (String episode : BuiltInTasks.IC_OOC_EPISODES) {
            resources.add("io/tiergate/common/classification/ic-ooc/" + episode + ".tsv");
            resources.add("io/tiergate/common/classification/ic-ooc/" + episode + ".turns.tsv");
        }
        try (InputStream config = getClass().getResourceAsStream(
                "/META-INF/native-image/io.tiergate/tiergate-common/resource-config.json")) {
            JsonNode includes = new ObjectMapper().readTree(config).path("resources").path("includes");
            for (String resource : resources) {
                assertTrue(getClass().getClassLoader().getResource(resource) != null, resource + " is not on the classpath");
                assertTrue(StreamSupport.stream(includes.spliterator(), false)
                        .anyMatch(include -> Pattern.matches(include.path("pattern").asText(), resource)), resource + " is not included");
            }
        }
    }
}
