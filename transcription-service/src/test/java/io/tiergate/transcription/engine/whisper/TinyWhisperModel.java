package io.tiergate.transcription.engine.whisper;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

/**
 * Writes a whisper model in whisper.cpp's ggml format, as its {@code models/convert-pt-to-ggml.py} does, with the
 * real layout (30 s audio window, 80 mel bands, the full vocabulary so every special token exists) but one layer of
 * width 64: about 7 MB, loaded in milliseconds. The encoder has random weights. The decoder is built by hand so its
 * output is known whatever the audio and CPU: its attention writes nothing, so each next token depends only on the
 * last one, through its feed-forward layer, and the model always writes
 * {@code <|0.00|> Ask not<|1.00|><|endoftext|>}, one segment a second; after a bare start of transcript it also
 * ranks German first among the languages, so a multilingual one detects German.
 */
final class TinyWhisperModel {

    static final int STATE = 64;
    static final int HEADS = 2;
    static final int LAYERS = 1;
    static final int AUDIO_CTX = 1500;
    static final int TEXT_CTX = 448;
    static final int MELS = 80;
    /** Tokens written with text; whisper.cpp names the special and timestamp tokens above them itself. */
    static final int TEXT_TOKENS = 50256;
    static final String TEXT = " Ask not";
    /** Where its one segment a window ends, in seconds. */
    static final double SEGMENT_END = 1.0;

    private static final int F32 = 0;
    private static final int F16 = 1;
    private static final int ASK = 1000;
    private static final int NOT = 1001;
    private static final int GERMAN = 2;
    /** A token the decoder knows is a unit vector of this length in a dimension of its own. */
    private static final float CODE_LENGTH = 4;
    /** How strongly a feed-forward neuron writes the next token's dimension (and German's, after the start). */
    private static final float NEXT_GAIN = 10;
    private static final float GERMAN_GAIN = 3;
    /** Dimensions below this one are the known tokens'; other tokens are small noise above it. */
    private static final int CODE_DIMENSIONS = 16;

    private TinyWhisperModel() {
    }

    /** An English-only model (51864 tokens, like {@code ggml-base.en.bin}). */
    static Path english(Path file) throws IOException {
        return write(file, 51864, true);
    }

    /** A multilingual model (51865 tokens, like {@code ggml-base.bin}). */
    static Path multilingual(Path file) throws IOException {
        return write(file, 51865, true);
    }

    /** With {@code space} false its vocabulary lacks the lone-space token, which whisper.cpp aborts without. */
    static Path write(Path file, int vocabulary, boolean space) throws IOException {
        Random random = new Random(42);
        Tokens tokens = new Tokens(vocabulary);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            out.write(ints(0x67676d6c, vocabulary, AUDIO_CTX, STATE, HEADS, LAYERS, TEXT_CTX, STATE, HEADS, LAYERS, MELS, F16));
            out.write(ints(MELS, 201));
            out.write(f32(random, MELS * 201, 0.01f, true));
            out.write(ints(TEXT_TOKENS));
            for (int id = 0; id < TEXT_TOKENS; id++) {
                byte[] text = (space || id != 220 ? tokenText(id) : "x").getBytes(StandardCharsets.UTF_8);
                out.write(ints(text.length));
                out.write(text);
            }
            randomTensor(out, random, "encoder.positional_embedding", F32, STATE, AUDIO_CTX);
            randomTensor(out, random, "encoder.conv1.weight", F16, 3, MELS, STATE);
            randomTensor(out, random, "encoder.conv1.bias", F32, 1, STATE);
            randomTensor(out, random, "encoder.conv2.weight", F16, 3, STATE, STATE);
            randomTensor(out, random, "encoder.conv2.bias", F32, 1, STATE);
            norm(out, "encoder.ln_post");
            for (int layer = 0; layer < LAYERS; layer++) {
                String prefix = "encoder.blocks." + layer + ".";
                norm(out, prefix + "mlp_ln");
                randomTensor(out, random, prefix + "mlp.0.weight", F16, STATE, 4 * STATE);
                randomTensor(out, random, prefix + "mlp.0.bias", F32, 4 * STATE);
                randomTensor(out, random, prefix + "mlp.2.weight", F16, 4 * STATE, STATE);
                randomTensor(out, random, prefix + "mlp.2.bias", F32, STATE);
                attention(out, random, prefix + "attn", false);
            }
            tensor(out, "decoder.positional_embedding", F32, new float[STATE * TEXT_CTX], STATE, TEXT_CTX);
            tensor(out, "decoder.token_embedding.weight", F16, tokens.embeddings(random), STATE, vocabulary);
            norm(out, "decoder.ln");
            for (int layer = 0; layer < LAYERS; layer++) {
                String prefix = "decoder.blocks." + layer + ".";
                norm(out, prefix + "mlp_ln");
                tensor(out, prefix + "mlp.0.weight", F16, tokens.detectors(), STATE, 4 * STATE);
                tensor(out, prefix + "mlp.0.bias", F32, tokens.thresholds(), 4 * STATE);
                tensor(out, prefix + "mlp.2.weight", F16, tokens.writers(), 4 * STATE, STATE);
                tensor(out, prefix + "mlp.2.bias", F32, new float[STATE], STATE);
                attention(out, random, prefix + "attn", true);
                attention(out, random, prefix + "cross_attn", true);
            }
        }
        return file;
    }

    /**
     * The tokens the decoder knows, each with a dimension of its own, and which comes after which: the start of
     * transcript (or, in a multilingual model, the task token after it) is followed by the first timestamp, then
     * " Ask", " not", the timestamp one second in, and the end of text.
     */
    private static final class Tokens {

        private final int vocabulary;
        private final int[] known;
        private final Map<Integer, Integer> next;
        private final int startOfTranscript;
        private final int german;

        Tokens(int vocabulary) {
            this.vocabulary = vocabulary;
            boolean multilingual = vocabulary >= 51865;
            int languages = vocabulary - 51765 - (multilingual ? 1 : 0);
            int shift = multilingual ? languages - 98 : 0;
            int endOfText = multilingual ? 50257 : 50256;
            startOfTranscript = endOfText + 1;
            int translate = 50357 + shift;
            int transcribe = 50358 + shift;
            int firstTimestamp = 50363 + shift;
            int secondTimestamp = firstTimestamp + (int) Math.round(SEGMENT_END / 0.02);
            german = startOfTranscript + 1 + GERMAN;
            known = new int[] {startOfTranscript, transcribe, translate, firstTimestamp, ASK, NOT, secondTimestamp,
                endOfText, german};
            next = Map.of(startOfTranscript, firstTimestamp, transcribe, firstTimestamp, translate, firstTimestamp,
                    firstTimestamp, ASK, ASK, NOT, NOT, secondTimestamp, secondTimestamp, endOfText);
        }

        /** Known tokens point along their own dimension; the others are small noise away from those dimensions. */
        float[] embeddings(Random random) {
            float[] values = new float[STATE * vocabulary];
            for (int token = 0; token < vocabulary; token++) {
                for (int dimension = CODE_DIMENSIONS; dimension < STATE; dimension++) {
                    values[token * STATE + dimension] = (random.nextFloat() * 2 - 1) * 0.02f;
                }
            }
            for (int code = 0; code < known.length; code++) {
                Arrays.fill(values, known[code] * STATE, (known[code] + 1) * STATE, 0);
                values[known[code] * STATE + code] = CODE_LENGTH;
            }
            return values;
        }

        /** Neuron {@code n} reads dimension {@code n}: a known token after layer norm is about 7.9 there. */
        float[] detectors() {
            float[] values = new float[STATE * 4 * STATE];
            for (int code = 0; code < known.length; code++) {
                values[code * STATE + code] = 1;
            }
            return values;
        }

        /** Neuron {@code n} fires only on its own token; the others stay shut. */
        float[] thresholds() {
            float[] values = new float[4 * STATE];
            Arrays.fill(values, -10);
            Arrays.fill(values, 0, known.length, -4);
            return values;
        }

        /** Neuron {@code n} writes its token's successor, far stronger than the token itself. */
        float[] writers() {
            float[] values = new float[4 * STATE * STATE];
            for (int code = 0; code < known.length; code++) {
                Integer successor = next.get(known[code]);
                if (successor != null) {
                    values[codeOf(successor) * 4 * STATE + code] = NEXT_GAIN;
                }
            }
            values[codeOf(german) * 4 * STATE + codeOf(startOfTranscript)] = GERMAN_GAIN;
            return values;
        }

        private int codeOf(int token) {
            for (int code = 0; code < known.length; code++) {
                if (known[code] == token) {
                    return code;
                }
            }
            throw new IllegalArgumentException("token " + token);
        }
    }

    /**
     * Short placeholder pieces, some starting a word, as GPT-2's byte-level tokens do; the two the decoder writes;
     * and a lone space where GPT-2 has it, which whisper.cpp looks up by text (it aborts without one).
     */
    private static String tokenText(int id) {
        if (id == 220) {
            return " ";
        }
        if (id == ASK || id == NOT) {
            return id == ASK ? " Ask" : " not";
        }
        StringBuilder text = new StringBuilder(id % 3 == 0 ? " " : "");
        for (int rest = id; ; rest /= 26) {
            text.append((char) ('a' + rest % 26));
            if (rest < 26) {
                return text.toString();
            }
        }
    }

    /** An attention block; {@code silent} makes its output projection zero, so it adds nothing to the residual. */
    private static void attention(OutputStream out, Random random, String prefix, boolean silent) throws IOException {
        norm(out, prefix + "_ln");
        randomTensor(out, random, prefix + ".query.weight", F16, STATE, STATE);
        randomTensor(out, random, prefix + ".query.bias", F32, STATE);
        randomTensor(out, random, prefix + ".key.weight", F16, STATE, STATE);
        randomTensor(out, random, prefix + ".value.weight", F16, STATE, STATE);
        randomTensor(out, random, prefix + ".value.bias", F32, STATE);
        if (silent) {
            tensor(out, prefix + ".out.weight", F16, new float[STATE * STATE], STATE, STATE);
            tensor(out, prefix + ".out.bias", F32, new float[STATE], STATE);
        } else {
            randomTensor(out, random, prefix + ".out.weight", F16, STATE, STATE);
            randomTensor(out, random, prefix + ".out.bias", F32, STATE);
        }
    }

    /** A layer norm: weight one, bias zero. */
    private static void norm(OutputStream out, String prefix) throws IOException {
        float[] ones = new float[STATE];
        Arrays.fill(ones, 1);
        tensor(out, prefix + ".weight", F32, ones, STATE);
        tensor(out, prefix + ".bias", F32, new float[STATE], STATE);
    }

    /** A tensor of small random values, uniform in [-0.02, 0.02]. */
    private static void randomTensor(OutputStream out, Random random, String name, int type, int... dims) throws IOException {
        int count = 1;
        for (int dim : dims) {
            count *= dim;
        }
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (random.nextFloat() * 2 - 1) * 0.02f;
        }
        tensor(out, name, type, values, dims);
    }

    /** A tensor's header and data; {@code dims} in ggml order, the fastest-moving first. */
    private static void tensor(OutputStream out, String name, int type, float[] values, int... dims) throws IOException {
        byte[] text = name.getBytes(StandardCharsets.US_ASCII);
        out.write(ints(dims.length, text.length, type));
        out.write(ints(dims));
        out.write(text);
        out.write(type == F32 ? f32(values) : f16(values));
    }

    private static byte[] ints(int... values) {
        ByteBuffer buffer = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int value : values) {
            buffer.putInt(value);
        }
        return buffer.array();
    }

    private static byte[] f32(float... values) {
        ByteBuffer buffer = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : values) {
            buffer.putFloat(value);
        }
        return buffer.array();
    }

    private static byte[] f32(Random random, int count, float scale, boolean positive) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            float value = (random.nextFloat() * 2 - 1) * scale;
            values[i] = positive ? Math.abs(value) : value;
        }
        return f32(values);
    }

    private static byte[] f16(float... values) {
        ByteBuffer buffer = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : values) {
            buffer.putShort(half(value));
        }
        return buffer.array();
    }

    /** IEEE half precision, truncating the mantissa; values too small for a normal half become zero. */
    private static short half(float value) {
        int bits = Float.floatToIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = ((bits >>> 23) & 0xff) - 127 + 15;
        if (exponent <= 0) {
            return (short) sign;
        }
        return (short) (sign | Math.min(exponent, 30) << 10 | (bits >>> 13) & 0x3ff);
    }
}
