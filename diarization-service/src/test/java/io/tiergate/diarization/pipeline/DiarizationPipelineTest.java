package io.tiergate.diarization.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tiergate.audio.testing.TestAssets;
import io.tiergate.diarization.config.TestConfigs;
import io.tiergate.diarization.engine.onnx.TinyOnnxModels;
import io.tiergate.diarization.health.EngineReadinessCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The pod's engine as configuration chooses it, and its readiness: a model that cannot be used leaves the pod running
 * but not ready, naming the engine, the model, and what is wrong with it.
 */
class DiarizationPipelineTest {

    @TempDir
    static Path models;
    static Path embedder;
    static Path segmenter;

    @BeforeAll
    static void writeModels() throws IOException {
        embedder = TinyOnnxModels.embedder(models.resolve("embedder.onnx"));
        segmenter = TinyOnnxModels.segmenter(models.resolve("segmenter.onnx"), 7, "T", Map.of());
    }

    /** The readiness of the pipeline the settings build (closed again afterwards). */
    private static HealthCheckResponse readiness(String... settings) {
        List<String> keyValues = new ArrayList<>(List.of("tiergate.diarization.vad-model",
                TestAssets.path("vad/silero_vad.onnx").toString()));
        keyValues.addAll(List.of(settings));
        DiarizationPipeline pipeline = new DiarizationPipeline(TestConfigs.diarization(keyValues.toArray(String[]::new)),
                new DiarizationMetrics(new SimpleMeterRegistry()));
        try {
            HealthCheckResponse response = new EngineReadinessCheck(pipeline).call();
            assertThat(response.getStatus() == HealthCheckResponse.Status.UP).isEqualTo(pipeline.ready());
            return response;
        } finally {
            pipeline.stop(null);
        }
    }

    private static Map<String, Object> data(HealthCheckResponse response) {
        return response.getData().orElseThrow();
    }

    @Test
    void theOnnxEngineWithAModelIsReadyNamingItsModelShapesAndSlots() {
        HealthCheckResponse ready = readiness("tiergate.diarization.engine", "onnx-embeddings",
                "tiergate.diarization.onnx.model-path", embedder.toString(), "tiergate.diarization.onnx.slots", "3");

        assertThat(ready.getStatus()).as("%s", ready.getData()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(data(ready)).containsEntry("engine", "onnx-embeddings").containsEntry("model", embedder.toString())
                .containsKey("vad-model").containsEntry("overlap", false);
        assertThat((String) data(ready).get("detail")).contains("the onnx-embeddings engine is loaded",
                "input 'feats' [batch, frames, 80]", "output 'embs' [batch, 16]", "on the CPU", "3 slots",
                "with the VAD model");
    }

    static Stream<Arguments> unusableModels() throws IOException {
        return Stream.of(
                Arguments.of("missing", models.resolve("missing.onnx"), "does not exist"),
                Arguments.of("truncated", TinyOnnxModels.truncated(embedder, models.resolve("cut.onnx"), 0.5),
                        "is not a valid ONNX model (truncated or corrupt?)"),
                Arguments.of("not ONNX", Files.writeString(models.resolve("readme.onnx"), "{\"model\": \"wespeaker\"}"),
                        "is not a valid ONNX model (truncated or corrupt?)"),
                Arguments.of("frames not a sequence", TinyOnnxModels.flatInput(models.resolve("flat.onnx")),
                        "shaped [-1, 80]; a speaker-embedding model's is shaped [batch, frames, mels]"),
                Arguments.of("an output per frame group", TinyOnnxModels.unpooledOutput(models.resolve("unpooled.onnx")),
                        "shaped [-1, 1, 16]; a speaker-embedding model's is shaped [batch, dimension]"),
                Arguments.of("another model", TestAssets.path("vad/silero_vad.onnx"), "takes 3 inputs"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unusableModels")
    void anUnusableModelLeavesThePodNotReadySayingWhy(String what, Path model, String why) {
        HealthCheckResponse down = readiness("tiergate.diarization.engine", "onnx-embeddings",
                "tiergate.diarization.onnx.model-path", model.toString());

        assertThat(down.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(data(down)).containsEntry("engine", "onnx-embeddings").containsEntry("model", model.toString());
        assertThat((String) data(down).get("detail")).contains("the ONNX speaker-embedding model " + model, why);
    }

    @Test
    void theOnnxEngineWithoutAModelPathIsNotReadySayingWhichKeySetsIt() {
        HealthCheckResponse down = readiness("tiergate.diarization.engine", "onnx-embeddings");

        assertThat(down.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat((String) data(down).get("detail")).contains("set tiergate.diarization.onnx.model-path");
    }

    @Test
    void theRemoteEngineIsReadyOnceItHasAKeyAndLoadsNoVadModel() {
        HealthCheckResponse keyless = readiness("tiergate.diarization.engine", "remote",
                "tiergate.diarization.vad-model", "/nowhere/silero_vad.onnx");
        HealthCheckResponse keyed = readiness("tiergate.diarization.engine", "remote",
                "tiergate.diarization.vad-model", "/nowhere/silero_vad.onnx",
                "tiergate.diarization.remote.api-key", "sk-secret-key", "tiergate.diarization.remote.model", "precision-2");

        assertThat(keyless.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat((String) data(keyless).get("detail")).contains("TIERGATE_DIARIZATION_REMOTE_API_KEY");
        assertThat(keyed.getStatus()).as("%s", keyed.getData()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(data(keyed)).containsEntry("engine", "remote").containsEntry("model", "https://api.pyannote.ai")
                .containsEntry("overlap", true).doesNotContainKey("vad-model");
        assertThat((String) data(keyed).get("detail")).contains("precision-2").doesNotContain("sk-secret-key");
    }

    @Test
    void aHuggingFaceEndpointIsReadyOnceItHasAUrlAndAToken() {
        HealthCheckResponse urlless = readiness("tiergate.diarization.engine", "remote",
                "tiergate.diarization.remote.api", "hf-endpoint", "tiergate.diarization.remote.api-key", "hf_token");
        HealthCheckResponse complete = readiness("tiergate.diarization.engine", "remote",
                "tiergate.diarization.remote.api", "hf-endpoint", "tiergate.diarization.remote.api-key", "hf_token",
                "tiergate.diarization.remote.base-url", "https://abc123.us-east-1.aws.endpoints.huggingface.cloud");

        assertThat(urlless.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat((String) data(urlless).get("detail")).contains("set tiergate.diarization.remote.base-url");
        assertThat(complete.getStatus()).as("%s", complete.getData()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(data(complete)).containsEntry("engine", "remote")
                .containsEntry("model", "https://abc123.us-east-1.aws.endpoints.huggingface.cloud");
        assertThat((String) data(complete).get("detail")).contains("Hugging Face Inference Endpoint")
                .doesNotContain("hf_token");
    }

    @Test
    void aSegmentationModelMakesTheInProcessEnginesReportOverlapNamingItsShapes() {
        for (String engine : List.of("embedded", "onnx-embeddings")) {
            HealthCheckResponse ready = readiness("tiergate.diarization.engine", engine,
                    "tiergate.diarization.onnx.model-path", embedder.toString(),
                    "tiergate.diarization.overlap.model-path", segmenter.toString(),
                    "tiergate.diarization.overlap.step", "2.5s");

            assertThat(ready.getStatus()).as("%s", ready.getData()).isEqualTo(HealthCheckResponse.Status.UP);
            assertThat(data(ready)).containsEntry("engine", engine).containsEntry("overlap", true);
            assertThat((String) data(ready).get("detail")).contains("finding overlapped speech with the"
                    + " speaker-segmentation model " + segmenter, "output 'scores' [batch, 1000, 7]", "3 local speakers",
                    "a chunk every 2.5 s");
        }
        assertThat((String) data(readiness()).get("detail"))
                .contains("finding no overlapped speech (set tiergate.diarization.overlap.model-path)");
    }

    @Test
    void anUnusableSegmentationModelLeavesThePodNotReadySayingWhy() throws IOException {
        Path fiveClasses = TinyOnnxModels.segmenter(models.resolve("five.onnx"), 5, "T", Map.of());
        for (String engine : List.of("embedded", "onnx-embeddings")) {
            HealthCheckResponse missing = readiness("tiergate.diarization.engine", engine,
                    "tiergate.diarization.onnx.model-path", embedder.toString(),
                    "tiergate.diarization.overlap.model-path", models.resolve("nowhere.onnx").toString());
            HealthCheckResponse misshapen = readiness("tiergate.diarization.engine", engine,
                    "tiergate.diarization.onnx.model-path", embedder.toString(),
                    "tiergate.diarization.overlap.model-path", fiveClasses.toString());

            assertThat(missing.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
            assertThat((String) data(missing).get("detail")).contains("the ONNX speaker-segmentation model "
                    + models.resolve("nowhere.onnx") + " does not exist");
            assertThat(misshapen.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
            assertThat((String) data(misshapen).get("detail")).contains("5 classes are not a powerset");
        }
        HealthCheckResponse stepless = readiness("tiergate.diarization.overlap.model-path", segmenter.toString(),
                "tiergate.diarization.overlap.step", "0s");
        assertThat(stepless.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat((String) data(stepless).get("detail")).contains("tiergate.diarization.overlap.step");
    }

    @Test
    void theEmbeddedEngineNamesItsOwnEmbeddings() {
        HealthCheckResponse ready = readiness();

        assertThat(ready.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(data(ready)).containsEntry("engine", "embedded")
                .containsEntry("model",
                "16-component GMM supervectors of MFCCs, joined by MFCC statistics when the voices differ grossly");
    }
}
