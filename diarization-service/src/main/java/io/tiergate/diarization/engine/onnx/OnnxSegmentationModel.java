package io.tiergate.diarization.engine.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.tiergate.audio.ModelFile;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;

/**
 * A speaker-segmentation model in ONNX format, as pyannote's {@code segmentation-3.0} is exported (sherpa-onnx's
 * export among others): a chunk of waveform in, shaped {@code [batch, 1, samples]}, and for each of its frames a score
 * per powerset class out, shaped {@code [batch, frames, classes]}, the classes being "nobody", each of the chunk's
 * local speakers alone, and each pair of them speaking at once. The chunk length comes from the model's
 * {@code window_size} metadata or its fixed input, else 10 s; where each frame sits in the chunk from its
 * {@code receptive_field_shift} and {@code receptive_field_size} metadata, else frames are taken as spread evenly.
 * What does not fit is refused when the model loads, as is a model that fails on a first run.
 *
 * <p>One instance is shared by all threads: ONNX Runtime runs one session concurrently.
 */
public final class OnnxSegmentationModel implements AutoCloseable {

    private static final String ROLE = "speaker-segmentation";
    private static final int SAMPLE_RATE = 16_000;
    /** pyannote's segmentation chunk, when the model does not say. */
    private static final int DEFAULT_CHUNK_SAMPLES = 10 * SAMPLE_RATE;
    /** More local speakers than any segmentation model has (pyannote's has 3). */
    private static final int MOST_LOCAL_SPEAKERS = 8;

    private final Path file;
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final String inputName;
    private final String outputName;
    private final int chunkSamples;
    private final int localSpeakers;
    /** Per class, the local speakers it stands for: none, one, or two. */
    private final List<int[]> classes;
    private final String device;
    /** Frames the model scores in a chunk; 0 until its first run says. */
    private final int frames;
    /** Where frames sit, in samples from the chunk's start: frame {@code i} is centred on {@code offset + i * shift}. */
    private final double frameShift;
    private final double frameOffset;

    private OnnxSegmentationModel(Path file, OrtEnvironment environment, OrtSession session, String inputName,
            String outputName, int chunkSamples, int localSpeakers, String device, int frames, double frameShift,
            double frameOffset) {
        this.file = file;
        this.environment = environment;
        this.session = session;
        this.inputName = inputName;
        this.outputName = outputName;
        this.chunkSamples = chunkSamples;
        this.localSpeakers = localSpeakers;
        this.classes = powerset(localSpeakers);
        this.device = device;
        this.frames = frames;
        this.frameShift = frameShift;
        this.frameOffset = frameOffset;
    }

    /**
     * Loads and checks the model, and runs it once on a chunk.
     *
     * @throws OnnxModelException saying what is wrong: the file missing, empty or unreadable, not an ONNX model, an
     *                            input or output not shaped as a segmentation model's, or a failing run
     */
    public static OnnxSegmentationModel load(Path file, OnnxRuntimeSettings settings) throws OnnxModelException {
        OnnxRuntimeSettings.Opened opened = settings.open(file, ROLE);
        OrtSession session = opened.session();
        try {
            Map<String, NodeInfo> inputs;
            Map<String, NodeInfo> outputs;
            Map<String, String> metadata;
            try {
                inputs = session.getInputInfo();
                outputs = session.getOutputInfo();
                metadata = session.getMetadata().getCustomMetadata();
            } catch (OrtException e) {
                throw new OnnxModelException(ROLE, file, "does not say what it takes and gives: " + e.getMessage(), e);
            }
            if (inputs.size() != 1 || outputs.isEmpty()) {
                throw new OnnxModelException(ROLE, file, "takes " + inputs.size() + " inputs " + inputs.keySet()
                        + " and gives " + outputs.size() + " outputs; a segmentation model takes one, a waveform shaped"
                        + " [batch, 1, samples]", null);
            }
            NodeInfo input = inputs.values().iterator().next();
            NodeInfo output = outputs.values().iterator().next();
            long[] in = floatShape(file, input, "input", "[batch, 1, samples]");
            long[] out = floatShape(file, output, "output", "[batch, frames, classes]");
            if (in[1] != 1 && in[1] >= 0) {
                throw new OnnxModelException(ROLE, file, "takes input '" + input.getName() + "' shaped "
                        + Arrays.toString(in) + ": " + in[1] + " channels; a segmentation model takes one", null);
            }
            int localSpeakers = localSpeakers(out[2]);
            if (localSpeakers < 0) {
                throw new OnnxModelException(ROLE, file, "gives output '" + output.getName() + "' shaped "
                        + Arrays.toString(out) + ": " + out[2] + " classes are not a powerset of local speakers taken"
                        + " at most two at a time (pyannote's segmentation-3.0 gives 7: nobody, 3 speakers, 3 pairs)",
                        null);
            }
            int chunk = positive(metadata.get("window_size")).orElse(in[2] > 0 ? (int) in[2] : DEFAULT_CHUNK_SAMPLES);
            if (in[2] > 0 && chunk != in[2]) {
                throw new OnnxModelException(ROLE, file, "states a window_size of " + chunk + " samples but takes "
                        + in[2], null);
            }
            OnnxSegmentationModel untried = new OnnxSegmentationModel(file, OrtEnvironment.getEnvironment(), session,
                    input.getName(), output.getName(), chunk, localSpeakers, opened.device(), 0, 0, 0);
            return untried.tried(positive(metadata.get("receptive_field_shift")).orElse(0),
                    positive(metadata.get("receptive_field_size")).orElse(0));
        } catch (OnnxModelException e) {
            ModelFile.close(session);
            throw e;
        }
    }

    /**
     * This model once it has scored a chunk of pseudo-random noise into finite numbers, with as many frames a chunk as
     * that run gave, placed by the receptive field when the model states it.
     */
    private OnnxSegmentationModel tried(int receptiveShift, int receptiveSize) throws OnnxModelException {
        float[] noise = new float[chunkSamples];
        Random random = new Random(1);
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) (random.nextGaussian() * 0.05);
        }
        float[][] scores;
        try {
            scores = run(noise);
        } catch (OrtException | IllegalStateException e) {
            throw new OnnxModelException(ROLE, file, "fails on a chunk of " + chunkSamples + " samples: "
                    + e.getMessage(), e);
        }
        for (float[] frame : scores) {
            for (float score : frame) {
                if (!Float.isFinite(score)) {
                    throw new OnnxModelException(ROLE, file, "gave a non-finite score on a chunk of noise", null);
                }
            }
        }
        double shift = receptiveShift > 0 && receptiveSize > 0 ? receptiveShift : chunkSamples / (double) scores.length;
        double offset = receptiveShift > 0 && receptiveSize > 0 ? receptiveSize / 2.0 : shift / 2;
        return new OnnxSegmentationModel(file, environment, session, inputName, outputName, chunkSamples, localSpeakers,
                device, scores.length, shift, offset);
    }

    /** Local speakers {@code n} whose classes, taken none, one or two at a time, number {@code classes}; else -1. */
    private static int localSpeakers(long classes) {
        for (int n = 2; n <= MOST_LOCAL_SPEAKERS; n++) {
            if (1 + n + n * (n - 1) / 2 == classes) {
                return n;
            }
        }
        return -1;
    }

    /** pyannote's powerset order: nobody, each speaker alone, then each pair in order. */
    private static List<int[]> powerset(int speakers) {
        List<int[]> classes = new ArrayList<>();
        classes.add(new int[0]);
        for (int a = 0; a < speakers; a++) {
            classes.add(new int[] {a});
        }
        for (int a = 0; a < speakers; a++) {
            for (int b = a + 1; b < speakers; b++) {
                classes.add(new int[] {a, b});
            }
        }
        return List.copyOf(classes);
    }

    private static OptionalInt positive(String value) {
        try {
            int parsed = value == null ? 0 : Integer.parseInt(value.trim());
            return parsed > 0 ? OptionalInt.of(parsed) : OptionalInt.empty();
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    private static long[] floatShape(Path file, NodeInfo node, String role, String wanted) throws OnnxModelException {
        if (!(node.getInfo() instanceof TensorInfo tensor) || tensor.type != OnnxJavaType.FLOAT
                || tensor.getShape().length != 3) {
            throw new OnnxModelException(ROLE, file, "has " + role + " '" + node.getName() + "' of " + node.getInfo()
                    + "; a segmentation model's is a 32-bit float tensor shaped " + wanted, null);
        }
        return tensor.getShape();
    }

    /** Samples in a chunk the model takes. */
    public int chunkSamples() {
        return chunkSamples;
    }

    /** Frames the model scores in a chunk. */
    public int frames() {
        return frames;
    }

    /** Where frame {@code i} of a chunk is centred, in samples from the chunk's start. */
    public double frameCentre(int frame) {
        return frameOffset + frame * frameShift;
    }

    /** Samples between two frames' centres. */
    public double frameShift() {
        return frameShift;
    }

    /** Speakers the model tells apart within a chunk. */
    public int localSpeakers() {
        return localSpeakers;
    }

    /** The local speakers class {@code c} stands for: none, one, or a pair speaking at once. */
    public int[] speakersOf(int c) {
        return classes.get(c);
    }

    /** The model as readiness shows it. */
    public String describe() {
        return file + " (input '" + inputName + "' [batch, 1, " + chunkSamples + "], output '" + outputName
                + "' [batch, " + frames + ", " + classes.size() + "]: " + localSpeakers + " local speakers, at most two"
                + " at once) on " + device;
    }

    /**
     * Each frame's class probabilities (a softmax of the model's scores, which pyannote exports as log-probabilities)
     * for one chunk of 16 kHz samples; a shorter chunk is padded with silence.
     */
    public float[][] classify(float[] chunk) throws OrtException {
        float[][] scores = run(chunk);
        for (float[] frame : scores) {
            float top = Float.NEGATIVE_INFINITY;
            for (float score : frame) {
                top = Math.max(top, score);
            }
            double sum = 0;
            for (int c = 0; c < frame.length; c++) {
                frame[c] = (float) Math.exp(frame[c] - top);
                sum += frame[c];
            }
            for (int c = 0; c < frame.length; c++) {
                frame[c] /= (float) sum;
            }
        }
        return scores;
    }

    private float[][] run(float[] chunk) throws OrtException {
        FloatBuffer data = FloatBuffer.allocate(chunkSamples);
        data.put(chunk, 0, Math.min(chunk.length, chunkSamples));
        data.rewind();
        try (OnnxTensor tensor = OnnxTensor.createTensor(environment, data, new long[] {1, 1, chunkSamples});
                OrtSession.Result result = session.run(Map.of(inputName, tensor), Set.of(outputName))) {
            OnnxTensor out = OnnxRuntimeSettings.outputTensor(result, outputName);
            long[] shape = out.getInfo().getShape();
            if (shape.length != 3 || shape[0] != 1 || shape[1] < 1 || shape[2] != classes.size()
                    || (frames > 0 && shape[1] != frames)) {
                throw new IllegalStateException("the model gave '" + outputName + "' shaped " + Arrays.toString(shape)
                        + " for one chunk, not [1, frames, " + classes.size() + "]");
            }
            FloatBuffer buffer = out.getFloatBuffer();
            float[][] scores = new float[(int) shape[1]][classes.size()];
            for (float[] frame : scores) {
                buffer.get(frame);
            }
            return scores;
        }
    }

    @Override
    public void close() {
        ModelFile.close(session);
    }
}
