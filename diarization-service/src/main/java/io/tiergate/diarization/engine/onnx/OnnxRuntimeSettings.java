package io.tiergate.diarization.engine.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.tiergate.audio.ModelFile;
import java.nio.file.Path;

/**
 * How ONNX Runtime runs a mounted model.
 *
 * @param threads    intra-op threads of one run
 * @param cuda       whether to ask for the CUDA execution provider
 * @param cudaDevice the CUDA device, with {@code cuda}
 */
public record OnnxRuntimeSettings(int threads, boolean cuda, int cudaDevice) {

    /**
     * A session on a model file, and where it runs.
     *
     * @param device "the CPU" or the CUDA device, as readiness says it
     */
    record Opened(OrtSession session, String device) {
    }

    /**
     * Opens a session on {@code file} with these settings. As whisper's gpu switch: without ONNX Runtime's CUDA
     * provider the model runs on the CPU, and the device says why.
     *
     * @param role what the model does, for the exception's message
     * @throws OnnxModelException when the file is missing, empty, unreadable or not an ONNX model
     */
    Opened open(Path file, String role) throws OnnxModelException {
        String[] device = {"the CPU"};
        try {
            OrtSession session = ModelFile.open(file, "does not exist", options -> {
                options.setIntraOpNumThreads(threads);
                if (cuda) {
                    try {
                        options.addCUDA(cudaDevice);
                        device[0] = "CUDA device " + cudaDevice;
                    } catch (OrtException | RuntimeException | LinkageError e) {
                        device[0] = "the CPU (execution-provider is cuda, but this ONNX Runtime has no CUDA provider: "
                                + e.getMessage() + ")";
                    }
                }
            });
            return new Opened(session, device[0]);
        } catch (ModelFile.Unreadable e) {
            throw new OnnxModelException(role, file, e.getMessage(), e.getCause());
        }
    }

    /**
     * A run's output {@code name} as a tensor, owned by {@code result} (read it before the result is closed).
     *
     * @throws IllegalStateException when the model gave no such output, or one that is not a tensor
     */
    static OnnxTensor outputTensor(OrtSession.Result result, String name) {
        OnnxValue value = result.get(name).orElseThrow(() -> new IllegalStateException("the model gave no '" + name + "'"));
        if (!(value instanceof OnnxTensor tensor)) {
            throw new IllegalStateException("the model's '" + name + "' is not a tensor");
        }
        return tensor;
    }
}
