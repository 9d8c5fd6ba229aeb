package io.tiergate.transcription.engine.whisper;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A whisper.cpp ggml model file, read and checked as whisper.cpp 1.7.1 (the one whisper-jni 1.7.1 bundles) reads it,
 * before its native loader sees it. That loader trusts the file: an unknown weight type or a header cut short makes it
 * abort the whole JVM (a failed {@code GGML_ASSERT}), a tensor claiming more than four dimensions overruns a stack
 * array, a file cut inside its vocabulary loads as whisper.cpp's "empty model for testing" and transcribes nothing, and a
 * vocabulary without the lone-space token aborts on the first chunk. So every count, type, shape and size is checked
 * here, and the file must end right after its last tensor.
 *
 * @param vocabulary  tokens in the model: 51864 English-only, 51865 multilingual, 51866 large-v3
 * @param audioLayers encoder layers, which name the model size (4 tiny, 6 base, 12 small, 24 medium, 32 large)
 * @param weights     how the big matrices are stored ({@code f16}, {@code q5_1}, …)
 */
record WhisperModelFile(int vocabulary, int audioLayers, String weights) {

    private static final int MAGIC = 0x67676d6c;
    private static final int ENGLISH_VOCABULARY = 51864;
    /** whisper.cpp 1.7.1 knows 100 languages, as many as large-v3's vocabulary has tokens for. */
    private static final int LARGEST_VOCABULARY = 51866;
    /** Every whisper model reads 30 s windows: 3000 mel frames, halved by the second convolution. */
    private static final int AUDIO_CONTEXT = 1500;
    /** Frequency bins of whisper.cpp's 400-point FFT. */
    private static final int FFT_BINS = 201;
    private static final int LONGEST_TOKEN = 1024;
    private static final int LONGEST_TENSOR_NAME = 256;
    private static final int LARGEST_WIDTH = 8192;
    private static final int MOST_LAYERS = 128;

    private static final int F32 = 0;
    private static final int F16 = 1;

    /** ggml tensor types whisper models use: {id, elements per block, bytes per block}. */
    private static final int[][] TYPES = {
        {F32, 1, 4}, {F16, 1, 2}, {2, 32, 18}, {3, 32, 20}, {6, 32, 22}, {7, 32, 24}, {8, 32, 34},
        {10, 256, 84}, {11, 256, 110}, {12, 256, 144}, {13, 256, 176}, {14, 256, 210},
    };
    private static final Map<Integer, String> TYPE_NAMES = Map.ofEntries(Map.entry(F32, "f32"), Map.entry(F16, "f16"),
            Map.entry(2, "q4_0"), Map.entry(3, "q4_1"), Map.entry(6, "q5_0"), Map.entry(7, "q5_1"), Map.entry(8, "q8_0"),
            Map.entry(10, "q2_k"), Map.entry(11, "q3_k"), Map.entry(12, "q4_k"), Map.entry(13, "q5_k"), Map.entry(14, "q6_k"));
    /** The file's ftype (modulo ggml's quantization version factor of 1000) to the type of its big matrices. */
    private static final Map<Integer, Integer> FTYPE_TO_TYPE = Map.ofEntries(Map.entry(0, F32), Map.entry(1, F16),
            Map.entry(2, 2), Map.entry(3, 3), Map.entry(7, 8), Map.entry(8, 6), Map.entry(9, 7), Map.entry(10, 10),
            Map.entry(11, 11), Map.entry(12, 12), Map.entry(13, 13), Map.entry(14, 14));

    boolean multilingual() {
        return vocabulary > ENGLISH_VOCABULARY;
    }

    /** How many of whisper's languages it has tokens for, as whisper.cpp counts them: 99, or 100 with large-v3's Cantonese. */
    int languageCount() {
        return vocabulary - 51765 - (multilingual() ? 1 : 0);
    }

    /** As whisper.cpp's files are named: {@code base.en}, {@code large-v3}, … */
    String size() {
        String size = switch (audioLayers) {
            case 4 -> "tiny";
            case 6 -> "base";
            case 12 -> "small";
            case 24 -> "medium";
            case 32 -> vocabulary == LARGEST_VOCABULARY ? "large-v3" : "large";
            default -> audioLayers + "-layer";
        };
        return multilingual() ? size : size + ".en";
    }

    /** Reads the file's header, vocabulary and tensor index, skipping the weights themselves. */
    static WhisperModelFile check(Path file) throws IOException {
        long length = Files.size(file);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return new Reader(in, length).model();
        }
    }

    /** A file whisper.cpp would refuse, crash on, or load wrongly; the message says why. */
    static final class InvalidModelException extends IOException {
        InvalidModelException(String message) {
            super(message);
        }
    }

    private static final class Reader {

        private final InputStream in;
        private final long length;
        private final byte[] word = new byte[4];
        private long position;

        Reader(InputStream in, long length) {
            this.in = in;
            this.length = length;
        }

        WhisperModelFile model() throws IOException {
            if (length < 4 || int32("its magic number") != MAGIC) {
                throw invalid("is not a whisper.cpp ggml model (it does not start with the ggml magic number)");
            }
            int vocabulary = int32("its header");
            int audioContext = int32("its header");
            int audioState = int32("its header");
            int audioHeads = int32("its header");
            int audioLayers = int32("its header");
            int textContext = int32("its header");
            int textState = int32("its header");
            int textHeads = int32("its header");
            int textLayers = int32("its header");
            int mels = int32("its header");
            int ftype = int32("its header");
            if (vocabulary < ENGLISH_VOCABULARY || vocabulary > LARGEST_VOCABULARY) {
                throw invalid("has " + vocabulary + " tokens; whisper models have 51864 (English-only) to 51866 (large-v3)");
            }
            if (audioContext != AUDIO_CONTEXT) {
                throw invalid("has an audio context of " + audioContext + "; whisper reads 30 s windows of 1500 positions");
            }
            if (audioState != textState) {
                throw invalid("has encoder width " + audioState + " but decoder width " + textState);
            }
            width(audioState, audioHeads, "encoder");
            width(textState, textHeads, "decoder");
            layers(audioLayers, "encoder");
            layers(textLayers, "decoder");
            if (textContext < 16 || textContext > LARGEST_WIDTH) {
                throw invalid("has a text context of " + textContext);
            }
            if (mels != 80 && mels != 128) {
                throw invalid("reads " + mels + " mel bands; whisper models read 80 (128 for large-v3)");
            }
            Integer weightType = ftype < 0 ? null : FTYPE_TO_TYPE.get(ftype % 1000);
            if (weightType == null) {
                throw invalid("stores its weights as ggml ftype " + ftype + ", which this pod does not run "
                        + "(f32, f16, q4_0, q4_1, q5_0, q5_1, q8_0 and q2_k to q6_k are supported)");
            }
            if (audioState % blockSize(weightType) != 0) {
                throw invalid("has width " + audioState + ", not a multiple of the " + TYPE_NAMES.get(weightType)
                        + " block of " + blockSize(weightType));
            }

            int melBands = int32("its mel filters");
            int fftBins = int32("its mel filters");
            if (melBands != mels || fftBins != FFT_BINS) {
                throw invalid("has " + melBands + " x " + fftBins + " mel filters; expected " + mels + " x " + FFT_BINS);
            }
            skip(4L * melBands * fftBins, "its mel filters");

            vocabulary(vocabulary);

            Map<String, int[]> expected = tensors(vocabulary, audioState, audioLayers, textContext, textLayers, mels,
                    weightType);
            while (position < length) {
                tensor(expected);
            }
            if (!expected.isEmpty()) {
                throw invalid("lacks " + expected.size() + " of its tensors, the first '" + expected.keySet().iterator().next()
                        + "' (is it cut short?)");
            }
            return new WhisperModelFile(vocabulary, audioLayers, TYPE_NAMES.get(weightType));
        }

        private void width(int state, int heads, String part) throws InvalidModelException {
            if (state < 1 || state > LARGEST_WIDTH || heads < 1 || state % heads != 0) {
                throw invalid("has " + part + " width " + state + " with " + heads + " heads");
            }
        }

        private void layers(int layers, String part) throws InvalidModelException {
            if (layers < 1 || layers > MOST_LAYERS) {
                throw invalid("has " + layers + " " + part + " layers");
            }
        }

        /** The loader looks the lone space up by its text when it suppresses blank starts, and aborts without it. */
        private void vocabulary(int modelTokens) throws IOException {
            int tokens = int32("its vocabulary");
            if (tokens < 0 || tokens > modelTokens) {
                throw invalid("lists " + tokens + " tokens for a model of " + modelTokens);
            }
            boolean space = false;
            for (int i = 0; i < tokens; i++) {
                int bytes = int32("its vocabulary");
                if (bytes < 0 || bytes > LONGEST_TOKEN) {
                    throw invalid("has a token of " + bytes + " bytes");
                }
                if (bytes == 1) {
                    space |= read(1, "its vocabulary")[0] == ' ';
                } else {
                    skip(bytes, "its vocabulary");
                }
            }
            if (!space) {
                throw invalid("has no token for a lone space, which whisper.cpp needs");
            }
        }

        private void tensor(Map<String, int[]> expected) throws IOException {
            int dimensions = int32("a tensor header");
            int nameBytes = int32("a tensor header");
            int type = int32("a tensor header");
            if (dimensions < 1 || dimensions > 4 || nameBytes < 1 || nameBytes > LONGEST_TENSOR_NAME) {
                throw invalid("has a tensor header of " + dimensions + " dimensions and a " + nameBytes + "-byte name");
            }
            long[] shape = {1, 1, 1, 1};
            for (int i = 0; i < dimensions; i++) {
                shape[i] = int32("a tensor header");
            }
            String name = new String(read(nameBytes, "a tensor name"), StandardCharsets.US_ASCII);
            int[] wanted = expected.remove(name);
            if (wanted == null) {
                throw invalid("has an unexpected or repeated tensor '" + name + "'");
            }
            if (shape[0] != wanted[1] || shape[1] != wanted[2] || shape[2] != wanted[3] || shape[3] != 1) {
                throw invalid("has tensor '" + name + "' shaped " + shape[0] + " x " + shape[1] + " x " + shape[2] + " x "
                        + shape[3] + "; expected " + wanted[1] + " x " + wanted[2] + " x " + wanted[3]);
            }
            if (type != wanted[0]) {
                throw invalid("stores tensor '" + name + "' as " + TYPE_NAMES.getOrDefault(type, "ggml type " + type)
                        + "; expected " + TYPE_NAMES.get(wanted[0]));
            }
            skip((long) wanted[1] / blockSize(type) * bytesPerBlock(type) * wanted[2] * wanted[3], "tensor '" + name + "'");
        }

        /** What whisper.cpp 1.7.1's loader allocates, by name: {type, ne0, ne1, ne2}, fastest-moving dimension first. */
        private static Map<String, int[]> tensors(int vocabulary, int state, int audioLayers, int textContext,
                int textLayers, int mels, int weights) {
            int convolution = weights == F32 ? F32 : F16;
            Map<String, int[]> tensors = new LinkedHashMap<>();
            tensors.put("encoder.positional_embedding", new int[] {F32, state, AUDIO_CONTEXT, 1});
            tensors.put("encoder.conv1.weight", new int[] {convolution, 3, mels, state});
            tensors.put("encoder.conv1.bias", new int[] {F32, 1, state, 1});
            tensors.put("encoder.conv2.weight", new int[] {convolution, 3, state, state});
            tensors.put("encoder.conv2.bias", new int[] {F32, 1, state, 1});
            norm(tensors, "encoder.ln_post", state);
            for (int layer = 0; layer < audioLayers; layer++) {
                block(tensors, "encoder.blocks." + layer + ".", state, weights, false);
            }
            tensors.put("decoder.positional_embedding", new int[] {F32, state, textContext, 1});
            tensors.put("decoder.token_embedding.weight", new int[] {weights, state, vocabulary, 1});
            norm(tensors, "decoder.ln", state);
            for (int layer = 0; layer < textLayers; layer++) {
                block(tensors, "decoder.blocks." + layer + ".", state, weights, true);
            }
            return tensors;
        }

        private static void block(Map<String, int[]> tensors, String prefix, int state, int weights, boolean decoder) {
            norm(tensors, prefix + "mlp_ln", state);
            tensors.put(prefix + "mlp.0.weight", new int[] {weights, state, 4 * state, 1});
            tensors.put(prefix + "mlp.0.bias", new int[] {F32, 4 * state, 1, 1});
            tensors.put(prefix + "mlp.2.weight", new int[] {weights, 4 * state, state, 1});
            tensors.put(prefix + "mlp.2.bias", new int[] {F32, state, 1, 1});
            attention(tensors, prefix + "attn", state, weights);
            if (decoder) {
                attention(tensors, prefix + "cross_attn", state, weights);
            }
        }

        private static void attention(Map<String, int[]> tensors, String prefix, int state, int weights) {
            norm(tensors, prefix + "_ln", state);
            tensors.put(prefix + ".query.weight", new int[] {weights, state, state, 1});
            tensors.put(prefix + ".query.bias", new int[] {F32, state, 1, 1});
            tensors.put(prefix + ".key.weight", new int[] {weights, state, state, 1});
            tensors.put(prefix + ".value.weight", new int[] {weights, state, state, 1});
            tensors.put(prefix + ".value.bias", new int[] {F32, state, 1, 1});
            tensors.put(prefix + ".out.weight", new int[] {weights, state, state, 1});
            tensors.put(prefix + ".out.bias", new int[] {F32, state, 1, 1});
        }

        private static void norm(Map<String, int[]> tensors, String prefix, int state) {
            tensors.put(prefix + ".weight", new int[] {F32, state, 1, 1});
            tensors.put(prefix + ".bias", new int[] {F32, state, 1, 1});
        }

        private int int32(String where) throws IOException {
            return ByteBuffer.wrap(readInto(word, where)).order(ByteOrder.LITTLE_ENDIAN).getInt();
        }

        private byte[] read(int bytes, String where) throws IOException {
            return readInto(new byte[bytes], where);
        }

        private byte[] readInto(byte[] into, String where) throws IOException {
            if (position + into.length > length) {
                throw cut(where);
            }
            if (in.readNBytes(into, 0, into.length) < into.length) {
                throw cut(where);
            }
            position += into.length;
            return into;
        }

        private void skip(long bytes, String where) throws IOException {
            if (position + bytes > length) {
                throw cut(where);
            }
            try {
                in.skipNBytes(bytes);
            } catch (EOFException e) {
                throw cut(where);
            }
            position += bytes;
        }

        private InvalidModelException cut(String where) {
            return invalid("is cut short: it ends inside " + where + " (" + length + " bytes)");
        }

        private static int blockSize(int type) {
            return typeInfo(type)[1];
        }

        private static int bytesPerBlock(int type) {
            return typeInfo(type)[2];
        }

        private static int[] typeInfo(int type) {
            for (int[] info : TYPES) {
                if (info[0] == type) {
                    return info;
                }
            }
            throw new IllegalArgumentException("ggml type " + type);
        }

        private static InvalidModelException invalid(String why) {
            return new InvalidModelException(why);
        }
    }
}
