package io.tiergate.diarization.engine.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.tiergate.audio.testing.TestAssets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Speaker-segmentation models through ONNX Runtime, on tiny models in ONNX format whose classes a test chooses by the
 * level of the samples ({@link TinyOnnxModels#segmenter}); files that are no such model are refused when they load,
 * saying why.
 */
class OnnxSegmentationModelTest {

    static final OnnxRuntimeSettings CPU = new OnnxRuntimeSettings(1, false, 0);

    @TempDir
    Path models;

    @Test
    void aPyannoteShapedModelLoadsWithTenSecondChunksAndGivesEachFramesClassProbabilities() throws Exception {
        Path file = TinyOnnxModels.segmenter(models.resolve("segmenter.onnx"), 7, "T", Map.of());
        try (OnnxSegmentationModel model = OnnxSegmentationModel.load(file, CPU)) {
            assertThat(model.chunkSamples()).isEqualTo(160_000);
            assertThat(model.frames()).isEqualTo(1000);
            assertThat(model.localSpeakers()).isEqualTo(3);
            assertThat(model.frameCentre(0)).isEqualTo(80.0);
            assertThat(model.frameCentre(10)).isEqualTo(1680.0);
            assertThat(model.speakersOf(0)).isEmpty();
            assertThat(model.speakersOf(2)).containsExactly(1);
            assertThat(model.speakersOf(4)).containsExactly(0, 1);
            assertThat(model.speakersOf(6)).containsExactly(1, 2);
            assertThat(model.describe()).contains(file.toString(), "input 'waveform' [batch, 1, 160000]",
                    "output 'scores' [batch, 1000, 7]", "3 local speakers", "on the CPU");

            // Two seconds at the level of speakers 0 and 1 at once, the rest (padding included) at nobody's.
            float[] chunk = new float[48_000];
            Arrays.fill(chunk, 16_000, 48_000, TinyOnnxModels.classLevel(4));
            float[][] probabilities = model.classify(chunk);

            assertThat(probabilities).hasDimensions(1000, 7);
            for (float[] frame : probabilities) {
                double sum = 0;
                for (float p : frame) {
                    sum += p;
                }
                assertThat(sum).isCloseTo(1.0, within(1e-5));
            }
            assertThat(probabilities[50][0]).isGreaterThan(0.99f);
            assertThat(probabilities[150][4]).isGreaterThan(0.99f);
            assertThat(probabilities[299][4]).isGreaterThan(0.99f);
            assertThat(probabilities[300][0]).isGreaterThan(0.99f);
            assertThat(probabilities[999][0]).isGreaterThan(0.99f);
        }
    }

    @Test
    void theChunkAndWhereFramesSitAreReadFromTheModelsMetadataAsSherpaOnnxExportsState() throws Exception {
        Path file = TinyOnnxModels.segmenter(models.resolve("sherpa.onnx"), 7, "T", Map.of("window_size", "32000",
                "receptive_field_shift", "160", "receptive_field_size", "400", "num_speakers", "3"));
        try (OnnxSegmentationModel model = OnnxSegmentationModel.load(file, CPU)) {
            assertThat(model.chunkSamples()).isEqualTo(32_000);
            assertThat(model.frames()).isEqualTo(200);
            assertThat(model.frameShift()).isEqualTo(160.0);
            assertThat(model.frameCentre(0)).isEqualTo(200.0);
        }
        Path fixed = TinyOnnxModels.segmenter(models.resolve("fixed.onnx"), 11, 16_000, Map.of());
        try (OnnxSegmentationModel model = OnnxSegmentationModel.load(fixed, CPU)) {
            assertThat(model.chunkSamples()).isEqualTo(16_000);
            assertThat(model.localSpeakers()).isEqualTo(4);
        }
    }

    @Test
    void filesThatAreNoSegmentationModelAreRefusedSayingWhy() throws IOException {
        assertRefused(models.resolve("missing.onnx"), "does not exist");
        Path empty = Files.createFile(models.resolve("empty.onnx"));
        assertRefused(empty, "is empty");
        Path good = TinyOnnxModels.segmenter(models.resolve("good.onnx"), 7, "T", Map.of());
        assertRefused(TinyOnnxModels.truncated(good, models.resolve("truncated.onnx"), 0.5),
                "is not a valid ONNX model (truncated or corrupt?)");
        assertRefused(TinyOnnxModels.segmenter(models.resolve("five.onnx"), 5, "T", Map.of()),
                "5 classes are not a powerset of local speakers");
        assertRefused(TinyOnnxModels.segmenter(models.resolve("window.onnx"), 7, 16_000, Map.of("window_size", "160000")),
                "states a window_size of 160000 samples but takes 16000");
        assertRefused(TinyOnnxModels.embedder(models.resolve("embedder.onnx")),
                "has output 'embs' of");
        assertRefused(TestAssets.path("vad/silero_vad.onnx"), "takes 3 inputs");
    }

    private static void assertRefused(Path file, String why) {
        assertThatThrownBy(() -> OnnxSegmentationModel.load(file, CPU))
                .isInstanceOf(OnnxModelException.class)
                .hasMessageContaining("the ONNX speaker-segmentation model " + file)
                .hasMessageContaining(why);
    }
}
