package io.tiergate.router;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.model.catalog.ModelDescription;
import dev.langchain4j.model.openai.OpenAiModelCatalog;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code GET /v1/models} as an OpenAI client reads it: the names a caller may send as {@code model}. */
@QuarkusTest
@QuarkusTestResource(value = FakeProviders.class, restrictToAnnotatedClass = false)
class ModelsTest {

    @TestHTTPResource("/v1")
    URL v1;

    @Test
    void anOpenAiClientListsAutoTheTiersAndEveryProvidersModels() {
        List<ModelDescription> models = OpenAiModelCatalog.builder().baseUrl(v1.toString()).apiKey("unused").build().listModels();
        assertThat(models).extracting(ModelDescription::name)
                .startsWith("auto", "simple", "medium", "complex")
                .contains("alpha-small", "beta-max", "claude-sonnet-4-5", "llama3.2:1b", "text-embedding-3-small")
                .doesNotHaveDuplicates();
        assertThat(models).filteredOn(model -> model.name().equals("beta-mid")).singleElement()
                .satisfies(model -> assertThat(model.owner()).isEqualTo("beta"));
    }
}
