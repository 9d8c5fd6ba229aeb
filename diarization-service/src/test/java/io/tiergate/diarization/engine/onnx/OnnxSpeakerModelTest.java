package io.tiergate.diarization.engine.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.tiergate.audio.testing.TestAssets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Speaker-embedding models through ONNX Runtime, on tiny models written in ONNX format ({@link TinyOnnxModels}) whose
 * output is known: each real call is made and checked against the same sums in Java. Files that are no such model
 * must be refused when they load, saying why.
 */
class OnnxSpeakerModelTest {

    static final OnnxRuntimeSettings CPU = new OnnxRuntimeSettings(1, false, 0);

    @TempDir
    static Path models;
    static Path embedder;

    @BeforeAll
    static void writeModels() throws IOException {
        embedder = TinyOnnxModels.embedder(models.resolve("embedder.onnx"));
    }

    private static float[][] frames(int count, int mels, long seed) {
        Random random = new Random(seed);
        float[][] frames = new float[count][mels];
        for (float[] frame : frames) {
            for (int m = 0; m < mels; m++) {
                frame[m] = (float) random.nextGaussian();
            }
        }
        return frames;
    }

    @Test
    void aModelLoadsWithItsNamesAndShapesReadFromItAndEmbedsAsItsGraphSays() throws Exception {
        try (OnnxSpeakerModel model = OnnxSpeakerModel.load(embedder, CPU)) {
            assertThat(model.mels()).isEqualTo(80);
            assertThat(model.dimension()).isEqualTo(16);
            assertThat(model.describe()).contains(embedder.toString(), "input 'feats' [batch, frames, 80]",
                    "output 'embs' [batch, 16]", "on the CPU");

            for (int count : new int[] {1, 37, 300}) {
                float[][] segment = frames(count, 80, count);
                assertThat(model.embed(segment)).containsExactly(TinyOnnxModels.expected(segment), within(1e-4f));
            }
        }
    }

    @Test
    void aModelOfFixedFrameCountEmbedsLongSegmentsInPiecesAndShortOnesWrappedRound() throws Exception {
        Path fixed = TinyOnnxModels.fixedFrames(models.resolve("fixed.onnx"), 150);
        try (OnnxSpeakerModel model = OnnxSpeakerModel.load(fixed, CPU)) {
            assertThat(model.describe()).contains("[batch, 150, 80]");
            float[][] segment = frames(200, 80, 7);
            // Frames 0-149, then 150-199 and 0-99: each piece's embedding to unit length, summed.
            float[][] first = java.util.Arrays.copyOfRange(segment, 0, 150);
            float[][] second = new float[150][];
            for (int f = 0; f < 150; f++) {
                second[f] = segment[(150 + f) % 200];
            }
            float[] a = unit(TinyOnnxModels.expected(first));
            float[] b = unit(TinyOnnxModels.expected(second));
            float[] sum = new float[a.length];
            for (int d = 0; d < a.length; d++) {
                sum[d] = a[d] + b[d];
            }
            assertThat(model.embed(segment)).containsExactly(sum, within(1e-4f));

            float[][] shortSegment = frames(40, 80, 8);
            float[][] wrapped = new float[150][];
            for (int f = 0; f < 150; f++) {
                wrapped[f] = shortSegment[f % 40];
            }
            assertThat(model.embed(shortSegment)).containsExactly(unit(TinyOnnxModels.expected(wrapped)), within(1e-4f));
        }
    }

    @Test
    void theFilterbankCountIsTheModels() throws Exception {
        try (OnnxSpeakerModel model = OnnxSpeakerModel.load(TinyOnnxModels.withMels(models.resolve("m64.onnx"), 64),
                CPU)) {
            assertThat(model.mels()).isEqualTo(64);
        }
        assertThatThrownBy(() -> OnnxSpeakerModel.load(TinyOnnxModels.withMels(models.resolve("m400.onnx"), 400),
                CPU))
                .isInstanceOf(OnnxModelException.class).hasMessageContaining("400 filterbanks per frame");
    }

    @Test
    void cudaAskedOfTheCpuBuildRunsOnTheCpuSayingSo() throws Exception {
        try (OnnxSpeakerModel model = OnnxSpeakerModel.load(embedder, new OnnxRuntimeSettings(2, true, 0))) {
            assertThat(model.describe()).contains("on the CPU (execution-provider is cuda, but this ONNX Runtime has no"
                    + " CUDA provider");
            float[][] segment = frames(50, 80, 3);
            assertThat(model.embed(segment)).containsExactly(TinyOnnxModels.expected(segment), within(1e-4f));
        }
    }

    @Test
    void missingEmptyTruncatedAndForeignFilesAreRefusedSayingWhy() throws IOException {
        Path missing = models.resolve("missing.onnx");
        Path empty = Files.write(models.resolve("empty.onnx"), new byte[0]);
        Path truncated = TinyOnnxModels.truncated(embedder, models.resolve("truncated.onnx"), 0.6);
        Path text = Files.writeString(models.resolve("notes.onnx"), "a speaker-embedding model, honest\n");

        assertRefused(missing, "does not exist");
        assertRefused(models, "is not a file");
        assertRefused(empty, "is empty");
        assertRefused(truncated, "is not a valid ONNX model (truncated or corrupt?)");
        assertRefused(text, "is not a valid ONNX model (truncated or corrupt?)");
    }

    @Test
    void modelsShapedOtherwiseThanAnEmbedderAreRefusedSayingHow() throws IOException {
        assertRefused(TinyOnnxModels.flatInput(models.resolve("flat.onnx")),
                "has input 'feats' shaped [-1, 80]; a speaker-embedding model's is shaped [batch, frames, mels]");
        assertRefused(TinyOnnxModels.unpooledOutput(models.resolve("unpooled.onnx")),
                "has output 'embs' shaped [-1, 1, 16]; a speaker-embedding model's is shaped [batch, dimension]");
        assertRefused(TestAssets.path("vad/silero_vad.onnx"), "takes 3 inputs");
    }

    private static void assertRefused(Path file, String why) {
        assertThatThrownBy(() -> OnnxSpeakerModel.load(file, CPU))
                .isInstanceOf(OnnxModelException.class)
                .hasMessageContaining("the ONNX speaker-embedding model " + file)
                .hasMessageContaining(why);
    }

    private static float[] unit(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / Math.sqrt(norm));
        }
        return out;
    }
}
