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
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A neural speaker-embedding model in ONNX format (WeSpeaker, 3D-Speaker and pyannote exports), run with ONNX Runtime:
 * log-mel filterbank frames in, shaped {@code [batch, frames, mels]}, one embedding out, shaped
 * {@code [batch, dimension]}. Names, filterbank count and dimension are read from the model; what does not fit that
 * shape is refused when it loads, as is a model that fails on a first run, so that a pod never turns ready on a model
 * that cannot embed.
 *
 * <p>One instance is shared by all threads: ONNX Runtime runs one session concurrently.
 */
public final class OnnxSpeakerModel implements AutoCloseable {

    private static final String ROLE = "speaker-embedding";
    /** Filterbank count assumed when the model leaves it open: what WeSpeaker, 3D-Speaker and pyannote models take. */
    static final int DEFAULT_MELS = 80;
    /** Fewer or more filters than this do not fit a 512-point FFT of 16 kHz audio (or any known model). */
    private static final int FEWEST_MELS = 20;
    private static final int MOST_MELS = 128;
    /** The first run's input: 2 s of frames (or the model's fixed count). */
    private static final int TRIAL_FRAMES = 200;

    private final Path file;
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final String inputName;
    private final String outputName;
    private final int mels;
    private final int fixedFrames;
    private final int dimension;
    private final String device;

    private OnnxSpeakerModel(Path file, OrtEnvironment environment, OrtSession session, String inputName,
            String outputName, int mels, int fixedFrames, int dimension, String device) {
        this.file = file;
        this.environment = environment;
        this.session = session;
        this.inputName = inputName;
        this.outputName = outputName;
        this.mels = mels;
        this.fixedFrames = fixedFrames;
        this.dimension = dimension;
        this.device = device;
    }

    /**
     * Loads and checks the model, and runs it once.
     *
     * @throws OnnxModelException saying what is wrong: the file missing, empty or unreadable, not an ONNX model
     *                            (truncated or corrupt), an input or output not shaped as an embedder's, or a failing run
     */
    public static OnnxSpeakerModel load(Path file, OnnxRuntimeSettings settings) throws OnnxModelException {
        OnnxRuntimeSettings.Opened opened = settings.open(file, ROLE);
        OrtSession session = opened.session();
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try {
            Map<String, NodeInfo> inputs;
            Map<String, NodeInfo> outputs;
            try {
                inputs = session.getInputInfo();
                outputs = session.getOutputInfo();
            } catch (OrtException e) {
                throw new OnnxModelException(ROLE, file, "does not say what it takes and gives: " + e.getMessage(), e);
            }
            if (inputs.size() != 1) {
                throw new OnnxModelException(ROLE, file, "takes " + inputs.size() + " inputs " + inputs.keySet()
                        + "; a speaker-embedding model takes one, filterbanks shaped [batch, frames, mels]", null);
            }
            if (outputs.isEmpty()) {
                throw new OnnxModelException(ROLE, file, "gives no output", null);
            }
            NodeInfo input = inputs.values().iterator().next();
            NodeInfo output = outputs.values().iterator().next();
            long[] in = floatShape(file, input, "input", 3, "[batch, frames, mels]");
            long[] out = floatShape(file, output, "output", 2, "[batch, dimension]");
            if (in[0] > 1 || out[0] > 1) {
                throw new OnnxModelException(ROLE, file, "takes batches of exactly " + Math.max(in[0], out[0])
                        + " (input '" + input.getName() + "' " + Arrays.toString(in) + ", output '" + output.getName()
                        + "' " + Arrays.toString(out) + "); segments are embedded one at a time", null);
            }
            int mels = in[2] < 0 ? DEFAULT_MELS : (int) in[2];
            if (mels < FEWEST_MELS || mels > MOST_MELS) {
                throw new OnnxModelException(ROLE, file, "takes input '" + input.getName() + "' shaped " + Arrays.toString(in)
                        + ": " + mels + " filterbanks per frame; a speaker-embedding model takes " + FEWEST_MELS
                        + " to " + MOST_MELS + " (80 for WeSpeaker, 3D-Speaker and pyannote)", null);
            }
            if (in[1] == 0 || out[1] == 0) {
                throw new OnnxModelException(ROLE, file, "has an empty dimension (input " + Arrays.toString(in)
                        + ", output " + Arrays.toString(out) + ")", null);
            }
            OnnxSpeakerModel model = new OnnxSpeakerModel(file, environment, session, input.getName(),
                    output.getName(), mels, in[1] < 0 ? 0 : (int) in[1], out[1] < 0 ? 0 : (int) out[1], opened.device());
            return model.tried();
        } catch (OnnxModelException e) {
            ModelFile.close(session);
            throw e;
        }
    }

    /** This model once it has embedded pseudo-random filterbanks into finite numbers of the dimension it states. */
    private OnnxSpeakerModel tried() throws OnnxModelException {
        int frames = fixedFrames > 0 ? fixedFrames : TRIAL_FRAMES;
        Random random = new Random(1);
        float[][] trial = new float[frames][mels];
        for (float[] frame : trial) {
            for (int m = 0; m < mels; m++) {
                frame[m] = (float) random.nextGaussian();
            }
        }
        float[] embedding;
        try {
            embedding = run(trial, 0);
        } catch (OrtException | IllegalStateException e) {
            throw new OnnxModelException(ROLE, file, "fails on " + frames + " frames of " + mels + " filterbanks: "
                    + e.getMessage(), e);
        }
        if (dimension > 0 && embedding.length != dimension) {
            throw new OnnxModelException(ROLE, file, "states output '" + outputName + "' of dimension " + dimension
                    + " but gave " + embedding.length, null);
        }
        for (float value : embedding) {
            if (!Float.isFinite(value)) {
                throw new OnnxModelException(ROLE, file, "gave a non-finite embedding on " + frames + " frames", null);
            }
        }
        return new OnnxSpeakerModel(file, environment, session, inputName, outputName, mels, fixedFrames,
                embedding.length, device);
    }

    /** The input's or output's shape, when it is a float tensor of {@code rank} dimensions (-1 where left open). */
    private static long[] floatShape(Path file, NodeInfo node, String role, int rank, String wanted)
            throws OnnxModelException {
        if (!(node.getInfo() instanceof TensorInfo tensor)) {
            throw new OnnxModelException(ROLE, file, "has " + role + " '" + node.getName() + "' that is not a tensor ("
                    + node.getInfo() + "); a speaker-embedding model's is shaped " + wanted, null);
        }
        if (tensor.type != OnnxJavaType.FLOAT) {
            throw new OnnxModelException(ROLE, file, "has " + role + " '" + node.getName() + "' of " + tensor.type
                    + "; only 32-bit float models are run", null);
        }
        long[] shape = tensor.getShape();
        if (shape.length != rank) {
            throw new OnnxModelException(ROLE, file, "has " + role + " '" + node.getName() + "' shaped "
                    + Arrays.toString(shape) + "; a speaker-embedding model's is shaped " + wanted, null);
        }
        return shape;
    }

    /** Filterbanks per frame the model takes. */
    public int mels() {
        return mels;
    }

    /** The embedding's dimension. */
    public int dimension() {
        return dimension;
    }

    /** The model as readiness shows it: file, input and output, and where it runs. */
    public String describe() {
        return file + " (input '" + inputName + "' [batch, " + (fixedFrames > 0 ? fixedFrames : "frames") + ", " + mels
                + "], output '" + outputName + "' [batch, " + dimension + "]) on " + device;
    }

    /**
     * The embedding of one segment's filterbank frames (already mean-normalised). A model that takes a fixed number
     * of frames embeds the segment in consecutive pieces of that length, the last wrapping round to the segment's start
     * (as short utterances are padded in training), and the pieces' unit-length embeddings are averaged.
     *
     * @param frames at least one frame of {@link #mels()} filterbanks
     */
    public float[] embed(float[][] frames) throws OrtException {
        if (fixedFrames == 0) {
            return run(frames, 0);
        }
        int pieces = (frames.length + fixedFrames - 1) / fixedFrames;
        float[] sum = new float[dimension];
        for (int piece = 0; piece < pieces; piece++) {
            float[] embedding = run(frames, piece * fixedFrames);
            double norm = 0;
            for (float v : embedding) {
                norm += v * v;
            }
            double scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
            for (int d = 0; d < dimension; d++) {
                sum[d] += (float) (embedding[d] * scale);
            }
        }
        return sum;
    }

    /** One run: all the frames, or, for a model of fixed frame count, that many from {@code from} (wrapping round). */
    private float[] run(float[][] frames, int from) throws OrtException {
        int count = fixedFrames > 0 ? fixedFrames : frames.length;
        FloatBuffer data = FloatBuffer.allocate(count * mels);
        for (int f = 0; f < count; f++) {
            data.put(frames[(from + f) % frames.length], 0, mels);
        }
        data.flip();
        try (OnnxTensor tensor = OnnxTensor.createTensor(environment, data, new long[] {1, count, mels});
                OrtSession.Result result = session.run(Map.of(inputName, tensor), Set.of(outputName))) {
            OnnxTensor out = OnnxRuntimeSettings.outputTensor(result, outputName);
            long[] shape = out.getInfo().getShape();
            if (shape.length != 2 || shape[0] != 1 || shape[1] < 1) {
                throw new IllegalStateException("the model gave '" + outputName + "' shaped " + Arrays.toString(shape)
                        + " for one segment, not [1, dimension]");
            }
            FloatBuffer buffer = out.getFloatBuffer();
            float[] embedding = new float[buffer.remaining()];
            buffer.get(embedding);
            return embedding;
        }
    }

    @Override
    public void close() {
        ModelFile.close(session);
    }
}
