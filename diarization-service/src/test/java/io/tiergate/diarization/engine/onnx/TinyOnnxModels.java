package io.tiergate.diarization.engine.onnx;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Writes small speaker-embedding models as ONNX {@code ModelProto} files, protobuf encoded by hand (ONNX Runtime runs
 * models but cannot build them, and the ONNX protobuf classes are not on Maven Central): {@code MatMul} of each
 * filterbank frame with fixed random weights, {@code Relu}, and {@code ReduceMean} over the frames, so an embedding is
 * the mean over frames of {@code relu(frame · W)}, which {@link #expected} computes in Java; and small speaker-
 * segmentation models ({@link #segmenter}). Field numbers are those of onnx/onnx.proto (IR version 7, opset 13, where
 * ReduceMean takes its axes as an attribute).
 */
public final class TinyOnnxModels {

    public static final int MELS = 80;
    public static final int DIMENSION = 16;
    public static final String INPUT = "feats";
    public static final String OUTPUT = "embs";

    /** The tiny segmentation models' input and output, and the samples each of their frames covers. */
    public static final String WAVEFORM = "waveform";
    public static final String SCORES = "scores";
    public static final int SEGMENTATION_HOP = 160;

    private static final int FLOAT = 1;
    private static final int INT64 = 7;
    private static final int ATTRIBUTE_INT = 2;
    private static final int ATTRIBUTE_INTS = 7;

    private TinyOnnxModels() {
    }

    /** The weights every model here multiplies frames by: {@code mels x DIMENSION}, seeded. */
    public static float[][] weights(int mels) {
        Random random = new Random(42);
        float[][] w = new float[mels][DIMENSION];
        for (float[] row : w) {
            for (int d = 0; d < DIMENSION; d++) {
                row[d] = (float) (random.nextGaussian() / Math.sqrt(mels));
            }
        }
        return w;
    }

    /** What the models give for {@code frames}: the mean over frames of {@code relu(frame · W)}. */
    public static float[] expected(float[][] frames) {
        float[][] w = weights(frames[0].length);
        float[] out = new float[DIMENSION];
        for (float[] frame : frames) {
            for (int d = 0; d < DIMENSION; d++) {
                double sum = 0;
                for (int m = 0; m < frame.length; m++) {
                    sum += frame[m] * w[m][d];
                }
                out[d] += (float) (Math.max(0, sum) / frames.length);
            }
        }
        return out;
    }

    /** A WeSpeaker-like model: {@code feats [B, T, 80]} to {@code embs [B, 16]}, batch and frames left open. */
    public static Path embedder(Path file) throws IOException {
        return write(file, new Object[] {"B", "T", MELS}, new Object[] {"B", DIMENSION}, MELS, false);
    }

    /** One that takes exactly {@code frames} frames of one segment: {@code [1, frames, 80]}. */
    public static Path fixedFrames(Path file, int frames) throws IOException {
        return write(file, new Object[] {1, frames, MELS}, new Object[] {1, DIMENSION}, MELS, false);
    }

    /** One whose input is not a sequence of frames: {@code [B, 80]}. */
    public static Path flatInput(Path file) throws IOException {
        return write(file, new Object[] {"B", MELS}, new Object[] {"B", DIMENSION}, MELS, false);
    }

    /** One that gives an embedding per frame group, {@code [B, 1, 16]}, not one per segment. */
    public static Path unpooledOutput(Path file) throws IOException {
        return write(file, new Object[] {"B", "T", MELS}, new Object[] {"B", 1, DIMENSION}, MELS, true);
    }

    /** One that takes {@code mels} filterbanks a frame. */
    public static Path withMels(Path file, int mels) throws IOException {
        return write(file, new Object[] {"B", "T", mels}, new Object[] {"B", DIMENSION}, mels, false);
    }

    /**
     * A pyannote-like speaker-segmentation model, {@code waveform [B, 1, samples]} to {@code scores [B, frames,
     * classes]} with a frame every {@link #SEGMENTATION_HOP} samples: each frame's scores are highest for the class
     * whose {@link #classLevel} is nearest the frame's mean sample value, so a test chooses what the model hears by the
     * DC offset it adds. Seven classes are pyannote's powerset of three local speakers: nobody, 0, 1, 2, {0,1}, {0,2},
     * {1,2}.
     *
     * @param chunk    the input's sample count: a number (fixed) or a string (left open)
     * @param metadata the model's custom metadata (sherpa-onnx's export states window_size, receptive_field_shift...)
     */
    public static Path segmenter(Path file, int classes, Object chunk, Map<String, String> metadata) throws IOException {
        ByteBuffer levels = ByteBuffer.allocate(classes * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int c = 0; c < classes; c++) {
            levels.putFloat(classLevel(c));
        }
        ByteBuffer frameShape = ByteBuffer.allocate(3 * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(0).putLong(-1).putLong(SEGMENTATION_HOP);
        ByteBuffer sharpness = ByteBuffer.allocate(Float.BYTES).order(ByteOrder.LITTLE_ENDIAN).putFloat(-1000);
        Proto graph = new Proto()
                .message(1, node("Reshape", List.of(WAVEFORM, "frame_shape"), "framed"))
                .message(1, node("ReduceMean", List.of("framed"), "level")
                        .message(5, new Proto().string(1, "axes").int64s(8, 2).int64(20, ATTRIBUTE_INTS))
                        .message(5, new Proto().string(1, "keepdims").int64(3, 1).int64(20, ATTRIBUTE_INT)))
                .message(1, node("Sub", List.of("level", "levels"), "distance"))
                .message(1, node("Mul", List.of("distance", "distance"), "squared"))
                .message(1, node("Mul", List.of("squared", "sharpness"), SCORES))
                .string(2, "tiny-speaker-segmenter")
                .message(5, new Proto().int64s(1, 3).int64(2, INT64).string(8, "frame_shape").bytes(9, frameShape.array()))
                .message(5, new Proto().int64s(1, classes).int64(2, FLOAT).string(8, "levels").bytes(9, levels.array()))
                .message(5, new Proto().int64s(1, 1).int64(2, FLOAT).string(8, "sharpness").bytes(9, sharpness.array()))
                .message(11, valueInfo(WAVEFORM, new Object[] {"B", 1, chunk}))
                .message(12, valueInfo(SCORES, new Object[] {"B", "F", classes}));
        Proto model = new Proto().int64(1, 7).string(2, "tiergate-test").message(7, graph)
                .message(8, new Proto().string(1, "").int64(2, 13));
        metadata.forEach((key, value) -> model.message(14, new Proto().string(1, key).string(2, value)));
        Files.write(file, model.bytes());
        return file;
    }

    /** The mean sample value at which the tiny segmentation models hear class {@code c}. */
    public static float classLevel(int c) {
        return c / 10f;
    }

    /** Dimensions are numbers (fixed) or strings (named, left open). */
    private static Path write(Path file, Object[] inputShape, Object[] outputShape, int mels, boolean keepDims)
            throws IOException {
        float[][] w = weights(mels);
        ByteBuffer raw = ByteBuffer.allocate(mels * DIMENSION * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] row : w) {
            for (float v : row) {
                raw.putFloat(v);
            }
        }
        Proto weights = new Proto().int64s(1, mels, DIMENSION).int64(2, FLOAT).string(8, "W").bytes(9, raw.array());
        // A flat input has no frame axis to pool: its rectified projection is the output.
        boolean pooled = inputShape.length == 3;
        Proto graph = new Proto()
                .message(1, node("MatMul", List.of(INPUT, "W"), "projected"))
                .message(1, node("Relu", List.of("projected"), pooled ? "rectified" : OUTPUT));
        if (pooled) {
            graph.message(1, node("ReduceMean", List.of("rectified"), OUTPUT)
                    .message(5, new Proto().string(1, "axes").int64s(8, 1).int64(20, ATTRIBUTE_INTS))
                    .message(5, new Proto().string(1, "keepdims").int64(3, keepDims ? 1 : 0).int64(20, ATTRIBUTE_INT)));
        }
        graph.string(2, "tiny-speaker-embedder")
                .message(5, weights)
                .message(11, valueInfo(INPUT, inputShape))
                .message(12, valueInfo(OUTPUT, outputShape));
        Proto model = new Proto().int64(1, 7).string(2, "tiergate-test").message(7, graph)
                .message(8, new Proto().string(1, "").int64(2, 13));
        Files.write(file, model.bytes());
        return file;
    }

    private static Proto node(String op, List<String> inputs, String output) {
        Proto node = new Proto();
        inputs.forEach(input -> node.string(1, input));
        return node.string(2, output).string(3, op + "_" + output).string(4, op);
    }

    private static Proto valueInfo(String name, Object[] shape) {
        Proto dims = new Proto();
        for (Object dim : shape) {
            dims.message(1, dim instanceof Integer size ? new Proto().int64(1, size) : new Proto().string(2, (String) dim));
        }
        Proto tensor = new Proto().int64(1, FLOAT).message(2, dims);
        return new Proto().string(1, name).message(2, new Proto().message(1, tensor));
    }

    /** A protobuf message being written: fields in the order they are added. */
    private static final class Proto {

        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Proto int64(int field, long value) {
            tag(field, 0);
            varint(value);
            return this;
        }

        /** A packed repeated int64. */
        Proto int64s(int field, long... values) {
            Proto packed = new Proto();
            for (long value : values) {
                packed.varint(value);
            }
            return bytes(field, packed.bytes());
        }

        Proto string(int field, String value) {
            return bytes(field, value.getBytes(StandardCharsets.UTF_8));
        }

        Proto message(int field, Proto value) {
            return bytes(field, value.bytes());
        }

        Proto bytes(int field, byte[] value) {
            tag(field, 2);
            varint(value.length);
            out.writeBytes(value);
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }

        private void tag(int field, int wireType) {
            varint((long) field << 3 | wireType);
        }

        private void varint(long value) {
            while ((value & ~0x7FL) != 0) {
                out.write((int) (value & 0x7F) | 0x80);
                value >>>= 7;
            }
            out.write((int) value);
        }
    }

    /** The first {@code fraction} of a model file's bytes, as a copy cut short would leave it. */
    public static Path truncated(Path model, Path file, double fraction) throws IOException {
        byte[] bytes = Files.readAllBytes(model);
        Files.write(file, Arrays.copyOf(bytes, (int) (bytes.length * fraction)));
        return file;
    }
}
