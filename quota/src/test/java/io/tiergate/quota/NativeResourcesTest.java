package io.tiergate.quota;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** A native image holds only the resources its configuration names: the quota script must be among them. */
class NativeResourcesTest {

    @Test
    void theQuotaScriptIsIncludedInANativeImage() throws IOException {
        String script = QuotaScript.RESOURCE.substring(1);
        try (InputStream config = getClass().getResourceAsStream(
                "/META-INF/native-image/io.tiergate/tiergate-quota/resource-config.json")) {
            JsonObject resources = new JsonObject(new String(config.readAllBytes(), StandardCharsets.UTF_8)).getJsonObject("resources");
            assertThat(resources.getJsonArray("includes").stream().map(JsonObject.class::cast))
                    .anySatisfy(include -> assertThat(Pattern.matches(include.getString("pattern"), script)).isTrue());
        }
    }
}
