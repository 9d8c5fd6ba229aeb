package io.tiergate.diarization.engine.onnx;

/**
 * How ONNX Runtime runs the speaker-embedding model.
 *
 * @param threads    intra-op threads of one run
 * @param cuda       whether to ask for the CUDA execution provider
 * @param cudaDevice the CUDA device, with {@code cuda}
 */
public record OnnxRuntimeSettings(int threads, boolean cuda, int cudaDevice) {
}
