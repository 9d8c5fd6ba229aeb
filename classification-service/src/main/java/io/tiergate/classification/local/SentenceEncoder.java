package io.tiergate.classification.local;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A BERT-style sentence encoder (mean pooling, unit length) run in-process with ONNX Runtime. Sentences are
 * encoded in padded batches sorted by length, several times faster on CPU than one sentence per call.
 * Thread-safe: ONNX Runtime sessions may be run concurrently.
 */
public final class SentenceEncoder implements AutoCloseable {

    private static final int MODEL_MAX_TOKENS = 256;

    private final String name;
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final int batchSize;
    private final boolean wantsTokenTypes;
    private final int dimension;

    private SentenceEncoder(String name, OrtEnvironment environment, OrtSession session, HuggingFaceTokenizer tokenizer, int batchSize)
            throws OrtException {
        this.name = name;
        this.environment = environment;
        this.session = session;
        this.tokenizer = tokenizer;
        this.batchSize = batchSize;
        this.wantsTokenTypes = session.getInputNames().contains("token_type_ids");
        this.dimension = encode(List.of("dimension probe"), 8)[0].length;
    }

    /**
     * Loads {@code /<model>.onnx} and {@code /<model>-tokenizer.json} from the classpath (the layout of
     * LangChain4j's in-process embedding model jars).
     */
    public static SentenceEncoder load(String model, String device, int deviceId, int threads, int batchSize) {
        try (InputStream onnx = resource("/" + model + ".onnx"); InputStream tokenizerJson = resource("/" + model + "-tokenizer.json")) {
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (threads > 0) {
                options.setIntraOpNumThreads(threads);
            }
            if ("cuda".equalsIgnoreCase(device)) {
                options.addCUDA(deviceId);
            } else if (!"cpu".equalsIgnoreCase(device)) {
                throw new IllegalArgumentException("tiergate.classification.local.device must be cpu or cuda, not " + device);
            }
            OrtSession session = environment.createSession(onnx.readAllBytes(), options);
            HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson,
                    Map.of("padding", "false", "truncation", "true", "maxLength", String.valueOf(MODEL_MAX_TOKENS)));
            return new SentenceEncoder(model, environment, session, tokenizer, batchSize);
        } catch (IOException | OrtException e) {
            throw new IllegalStateException("Cannot load the embedding model " + model + ": " + e.getMessage(), e);
        }
    }

    public String name() {
        return name;
    }

    public int dimension() {
        return dimension;
    }

    /** Word pieces of {@code text} the model sees (with its start and end markers), up to the model's limit. */
    public int tokenCount(String text) {
        return tokenizer.encode(text).getIds().length;
    }

    /** Unit-length embeddings of {@code texts}, in order; each text is cut to {@code maxTokens} word pieces. */
    public float[][] encode(List<String> texts, int maxTokens) {
        int limit = Math.max(2, Math.min(maxTokens, MODEL_MAX_TOKENS));
        long[][] ids = new long[texts.size()][];
        for (int i = 0; i < texts.size(); i++) {
            ids[i] = truncate(tokenizer.encode(texts.get(i)), limit);
        }
        Integer[] byLength = new Integer[texts.size()];
        Arrays.setAll(byLength, i -> i);
        Arrays.sort(byLength, Comparator.comparingInt(i -> ids[i].length));
        float[][] vectors = new float[texts.size()][];
        try {
            for (int start = 0; start < byLength.length; start += batchSize) {
                int end = Math.min(start + batchSize, byLength.length);
                encodeBatch(Arrays.copyOfRange(byLength, start, end), ids, vectors);
            }
        } catch (OrtException e) {
            throw new IllegalStateException("The embedding model failed: " + e.getMessage(), e);
        }
        return vectors;
    }

    private void encodeBatch(Integer[] rows, long[][] ids, float[][] vectors) throws OrtException {
        int width = ids[rows[rows.length - 1]].length;
        long[] inputIds = new long[rows.length * width];
        long[] mask = new long[rows.length * width];
        for (int r = 0; r < rows.length; r++) {
            long[] row = ids[rows[r]];
            System.arraycopy(row, 0, inputIds, r * width, row.length);
            Arrays.fill(mask, r * width, r * width + row.length, 1L);
        }
        long[] shape = {rows.length, width};
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(environment, LongBuffer.wrap(inputIds), shape));
            inputs.put("attention_mask", OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape));
            if (wantsTokenTypes) {
                inputs.put("token_type_ids", OnnxTensor.createTensor(environment, LongBuffer.wrap(new long[rows.length * width]), shape));
            }
            try (OrtSession.Result result = session.run(inputs)) {
                float[][][] hidden = (float[][][]) result.get(0).getValue();
                for (int r = 0; r < rows.length; r++) {
                    vectors[rows[r]] = meanPool(hidden[r], ids[rows[r]].length);
                }
            }
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private static float[] meanPool(float[][] tokens, int length) {
        float[] pooled = new float[tokens[0].length];
        for (int t = 0; t < length; t++) {
            for (int d = 0; d < pooled.length; d++) {
                pooled[d] += tokens[t][d];
            }
        }
        double norm = 0;
        for (float value : pooled) {
            norm += (double) value * value;
        }
        float scale = norm == 0 ? 0f : (float) (1.0 / Math.sqrt(norm));
        for (int d = 0; d < pooled.length; d++) {
            pooled[d] *= scale;
        }
        return pooled;
    }

    /** Keeps the first word pieces and the closing separator, as the model was trained on whole inputs. */
    private static long[] truncate(Encoding encoding, int limit) {
        long[] ids = encoding.getIds();
        if (ids.length <= limit) {
            return ids;
        }
        long[] cut = Arrays.copyOf(ids, limit);
        cut[limit - 1] = ids[ids.length - 1];
        return cut;
    }

    private static InputStream resource(String path) throws IOException {
        InputStream stream = SentenceEncoder.class.getResourceAsStream(path);
        if (stream == null) {
            throw new IOException(path + " is not on the classpath; add the LangChain4j in-process embedding artifact that ships it");
        }
        return stream;
    }

    @Override
    public void close() throws OrtException {
        session.close();
        tokenizer.close();
    }
}
