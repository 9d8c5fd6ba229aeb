package io.tiergate.common.classification;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** A native image holds only the resources its configuration names: the built-in examples must be among them. */
class NativeResourcesTest {

    @Test
    void theBuiltInExamplesAreIncludedInANativeImage() throws IOException {
        String examples = "io/tiergate/common/classification/ic-ooc-examples.tsv";
        assertTrue(getClass().getClassLoader().getResource(examples) != null, examples + " is not on the classpath");
        try (InputStream config = getClass().getResourceAsStream(
                "/META-INF/native-image/io.tiergate/tiergate-common/resource-config.json")) {
            JsonNode includes = new ObjectMapper().readTree(config).path("resources").path("includes");
            assertTrue(StreamSupport.stream(includes.spliterator(), false)
                    .anyMatch(include -> Pattern.matches(include.path("pattern").asText(), examples)), examples + " is not included");
        }
    }
}
