package io.tiergate.audio.vad;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.tiergate.audio.ModelFile;
import io.tiergate.audio.PcmDecoder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Silero VAD (v5 and v6 ONNX models) run with ONNX Runtime, one window at a time, as Silero's own Python
 * {@code OnnxWrapper} does: each window is scored together with the last 64 samples of the one before, and the model's
 * recurrent state is carried from window to window.
 *
 * <p>One instance holds the loaded model and is shared by all threads (ONNX Runtime runs a session concurrently); each
 * recording gets its own {@link #openStream() stream}, which holds that recording's context and state.
 */
public final class SileroVad implements VoiceActivityModel, AutoCloseable {

    /** Samples of the previous window the model sees before each window, at 16 kHz. */
    private static final int CONTEXT_SAMPLES = 64;
    private static final int INPUT_SAMPLES = CONTEXT_SAMPLES + WINDOW_SAMPLES;
    private static final long[] INPUT_SHAPE = {1, INPUT_SAMPLES};
    private static final long[] STATE_SHAPE = {2, 1, 128};
    private static final int STATE_SIZE = 2 * 128;
    private static final Set<String> INPUTS = Set.of("input", "state", "sr");
    private static final Set<String> OUTPUTS = Set.of("output", "stateN");

    private final OrtEnvironment environment;
    private final OrtSession session;

    private SileroVad(OrtEnvironment environment, OrtSession session) {
        this.environment = environment;
        this.session = session;
    }

    /**
     * Loads the model file.
     *
     * @throws VadModelException saying what is wrong with the file: missing, unreadable, empty, not an ONNX model
     *                           (truncated or corrupt), or an ONNX model other than Silero VAD
     */
    public static SileroVad load(Path model) throws VadModelException {
        OrtSession session;
        try {
            // A window is a few microseconds of work: threads would cost more than they save. Recordings run in
            // parallel on separate streams instead.
            session = ModelFile.open(model, "does not exist (audio/fetch-vad-model.sh fetches it)",
                    options -> options.setIntraOpNumThreads(1));
        } catch (ModelFile.Unreadable e) {
            throw new VadModelException(model, e.getMessage(), e.getCause());
        }
        if (!session.getInputNames().equals(INPUTS) || !session.getOutputNames().equals(OUTPUTS)) {
            ModelFile.close(session);
            throw new VadModelException(model, "is an ONNX model but not Silero VAD v5/v6: it takes "
                    + session.getInputNames() + " and gives " + session.getOutputNames() + ", not " + INPUTS
                    + " and " + OUTPUTS, null);
        }
        return new SileroVad(OrtEnvironment.getEnvironment(), session);
    }

    @Override
    public Stream openStream() {
        try {
            return new SileroStream();
        } catch (OrtException e) {
            throw new IllegalStateException("Silero VAD could not make its input tensors", e);
        }
    }

    /** Releases the model. Streams still open must not be used afterwards. */
    @Override
    public void close() {
        ModelFile.close(session);
    }

    /**
     * One recording's scoring. Its input and state tensors are created once, over direct buffers that ONNX Runtime
     * reads in place, and rewritten for each window: nothing is allocated per window but the outputs.
     */
    private final class SileroStream implements Stream {

        private final FloatBuffer input = directFloats(INPUT_SAMPLES);
        private final FloatBuffer state = directFloats(STATE_SIZE);
        private final OnnxTensor inputTensor;
        private final OnnxTensor stateTensor;
        private final OnnxTensor sampleRateTensor;
        private final Map<String, OnnxTensor> inputs;

        SileroStream() throws OrtException {
            inputTensor = OnnxTensor.createTensor(environment, input, INPUT_SHAPE);
            stateTensor = OnnxTensor.createTensor(environment, state, STATE_SHAPE);
            sampleRateTensor = OnnxTensor.createTensor(environment, (long) PcmDecoder.SAMPLE_RATE);
            inputs = Map.of("input", inputTensor, "state", stateTensor, "sr", sampleRateTensor);
        }

        @Override
        public float speechProbability(float[] samples, int offset) {
            input.put(CONTEXT_SAMPLES, samples, offset, WINDOW_SAMPLES);
            float probability;
            try (OrtSession.Result result = session.run(inputs)) {
                probability = floats(result, "output").get(0);
                state.put(0, floats(result, "stateN"), 0, STATE_SIZE);
            } catch (OrtException e) {
                throw new IllegalStateException("Silero VAD failed on a window", e);
            }
            input.put(0, samples, offset + WINDOW_SAMPLES - CONTEXT_SAMPLES, CONTEXT_SAMPLES);
            return probability;
        }

        @Override
        public void close() {
            inputTensor.close();
            stateTensor.close();
            sampleRateTensor.close();
        }
    }

    private static FloatBuffer floats(OrtSession.Result result, String name) {
        OnnxValue value = result.get(name).orElseThrow(() -> new IllegalStateException("Silero VAD gave no " + name));
        return ((OnnxTensor) value).getFloatBuffer();
    }

    private static FloatBuffer directFloats(int count) {
        return ByteBuffer.allocateDirect(count * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }
}
