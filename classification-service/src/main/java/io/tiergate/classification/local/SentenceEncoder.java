package io.tiergate.classification.local;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A BERT-style sentence encoder (mean pooling, unit length) run in-process with ONNX Runtime.
 *
 * <p>Where the time goes, measured on 2 CPU cores: about 95 % is the model's int8 matrix products, which cost the
 * same per word piece whatever the batch, so the encoder keeps word pieces few and cores busy. Lines are tokenized in
 * one native call, cut to the caller's limit, sorted by length and cut into batches padded only to their longest
 * line (so padding stays under 5 %), and on CPU the batches run in parallel, one core each, longest first: ONNX
 * Runtime's own intra-op threading splits these small matrix products with more synchronisation than work. Input
 * buffers are reused and the output is pooled straight from one flat copy. On CUDA one batch runs at a time.
 * Thread-safe: ONNX Runtime sessions may be run concurrently, and concurrent calls share the worker threads.
 */
public final class SentenceEncoder implements AutoCloseable {

    private static final int MODEL_MAX_TOKENS = 256;
    private static final TokenizersLibrary NATIVE = TokenizersLibrary.LIB;

    private final String name;
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final int batchSize;
    private final int parallelism;
    private final ExecutorService workers;
    private final BlockingQueue<Buffers> buffers;
    private final boolean wantsTokenTypes;
    private final int dimension;

    private SentenceEncoder(String name, OrtEnvironment environment, OrtSession session, HuggingFaceTokenizer tokenizer, int batchSize,
            int parallelism) throws OrtException {
        this.name = name;
        this.environment = environment;
        this.session = session;
        this.tokenizer = tokenizer;
        this.batchSize = Math.max(1, batchSize);
        this.parallelism = Math.max(1, parallelism);
        AtomicInteger threadNumber = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(this.parallelism, runnable -> {
            Thread thread = new Thread(runnable, "sentence-encoder-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.buffers = new ArrayBlockingQueue<>(this.parallelism);
        for (int i = 0; i < this.parallelism; i++) {
            buffers.add(new Buffers());
        }
        this.wantsTokenTypes = session.getInputNames().contains("token_type_ids");
        float[][] probe = new float[1][];
        encodeBatch(new long[][] {tokenize(List.of("dimension probe"), 8)[0]}, new int[] {0}, 0, 1, probe);
        this.dimension = probe[0].length;
    }

    /**
     * Loads {@code /<model>.onnx} and {@code /<model>-tokenizer.json} from the classpath (the layout of
     * LangChain4j's in-process embedding model jars). {@code threads} is the number of CPU cores to use (0: all);
     * on CPU that many batches run at once, on CUDA one.
     */
    public static SentenceEncoder load(String model, String device, int deviceId, int threads, int batchSize) {
        int cores = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        try (InputStream onnx = resource("/" + model + ".onnx"); InputStream tokenizerJson = resource("/" + model + "-tokenizer.json")) {
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setInterOpNumThreads(1);
            int parallelism;
            if ("cuda".equalsIgnoreCase(device)) {
                options.addCUDA(deviceId);
                options.setIntraOpNumThreads(cores); // for the few operators left on the CPU
                parallelism = 1;
            } else if ("cpu".equalsIgnoreCase(device)) {
                options.setIntraOpNumThreads(1);
                parallelism = cores;
            } else {
                throw new IllegalArgumentException("tiergate.classification.local.device must be cpu or cuda, not " + device);
            }
            OrtSession session = environment.createSession(onnx.readAllBytes(), options);
            HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson,
                    Map.of("padding", "false", "truncation", "true", "maxLength", String.valueOf(MODEL_MAX_TOKENS)));
            return new SentenceEncoder(model, environment, session, tokenizer, batchSize, parallelism);
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

    /** Unit-length embeddings of {@code texts}, in order; each text is cut to {@code maxTokens} word pieces. */
    public float[][] encode(List<String> texts, int maxTokens) {
        return embed(texts, maxTokens).vectors();
    }

    /**
     * Unit-length embeddings of {@code texts}, in order, and the word pieces the model saw for them (start and end
     * markers included); each text is cut to {@code maxTokens} word pieces.
     */
    public Embedded embed(List<String> texts, int maxTokens) {
        int n = texts.size();
        float[][] vectors = new float[n][];
        if (n == 0) {
            return new Embedded(vectors, 0);
        }
        long[][] ids = tokenize(texts, Math.max(2, Math.min(maxTokens, MODEL_MAX_TOKENS)));
        int tokens = 0;
        for (long[] text : ids) {
            tokens += text.length;
        }
        int[] order = byLength(ids);
        // Enough batches to keep every worker busy on small requests; the longest run first so none is left last.
        int size = Math.max(1, Math.min(batchSize, (n + parallelism - 1) / parallelism));
        int batches = (n + size - 1) / size;
        AtomicInteger next = new AtomicInteger(batches);
        Runnable work = () -> {
            for (int b = next.decrementAndGet(); b >= 0; b = next.decrementAndGet()) {
                int from = b * size;
                encodeBatchOrFail(ids, order, from, Math.min(from + size, n), vectors);
            }
        };
        int helpers = Math.min(parallelism, batches);
        if (helpers == 1) {
            work.run();
            return new Embedded(vectors, tokens);
        }
        List<Future<?>> running = new ArrayList<>(helpers);
        for (int i = 0; i < helpers; i++) {
            running.add(workers.submit(work));
        }
        try {
            for (Future<?> future : running) {
                future.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.forEach(future -> future.cancel(true));
            throw new IllegalStateException("Interrupted while embedding", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        }
        return new Embedded(vectors, tokens);
    }

    /** Embeddings and the word pieces they took. */
    public record Embedded(float[][] vectors, int tokens) {}

    /** Word-piece ids of every text in one native call (the tokenizer runs them in parallel), cut to {@code limit}. */
    private long[][] tokenize(List<String> texts, int limit) {
        long[] encodings = NATIVE.batchEncode(tokenizer.getHandle(), texts.toArray(new String[0]), true);
        long[][] ids = new long[encodings.length][];
        try {
            for (int i = 0; i < encodings.length; i++) {
                ids[i] = truncate(NATIVE.getTokenIds(encodings[i]), limit);
            }
        } finally {
            for (long encoding : encodings) {
                NATIVE.deleteEncoding(encoding);
            }
        }
        return ids;
    }

    /** Indices of {@code ids} from shortest to longest (ties in input order), sorted as primitive keys. */
    private static int[] byLength(long[][] ids) {
        long[] keys = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            keys[i] = ((long) ids[i].length << 32) | i;
        }
        Arrays.sort(keys);
        int[] order = new int[keys.length];
        for (int i = 0; i < keys.length; i++) {
            order[i] = (int) keys[i];
        }
        return order;
    }

    private void encodeBatchOrFail(long[][] ids, int[] order, int from, int to, float[][] vectors) {
        try {
            encodeBatch(ids, order, from, to, vectors);
        } catch (OrtException e) {
            throw new IllegalStateException("The embedding model failed: " + e.getMessage(), e);
        }
    }

    /** Embeds the rows {@code order[from..to)}, which are sorted by length, padded to the longest of them. */
    private void encodeBatch(long[][] ids, int[] order, int from, int to, float[][] vectors) throws OrtException {
        int rows = to - from;
        int width = ids[order[to - 1]].length;
        int cells = rows * width;
        Buffers buffer = takeBuffers();
        Map<String, OnnxTensor> inputs = new HashMap<>(4);
        try {
            LongBuffer inputIds = buffer.inputIds(cells);
            LongBuffer mask = buffer.mask(cells);
            for (int r = 0; r < rows; r++) {
                long[] row = ids[order[from + r]];
                inputIds.put(row);
                for (int t = row.length; t < width; t++) {
                    inputIds.put(0L);
                }
                for (int t = 0; t < width; t++) {
                    mask.put(t < row.length ? 1L : 0L);
                }
            }
            inputIds.flip();
            mask.flip();
            long[] shape = {rows, width};
            inputs.put("input_ids", OnnxTensor.createTensor(environment, inputIds, shape));
            inputs.put("attention_mask", OnnxTensor.createTensor(environment, mask, shape));
            if (wantsTokenTypes) {
                inputs.put("token_type_ids", OnnxTensor.createTensor(environment, buffer.zeros(cells), shape));
            }
            try (OrtSession.Result result = session.run(inputs)) {
                // One copy out of native memory into a heap array; pooled from there without further copies.
                float[] hidden = ((OnnxTensor) result.get(0)).getFloatBuffer().array();
                int size = hidden.length / cells;
                for (int r = 0; r < rows; r++) {
                    vectors[order[from + r]] = meanPool(hidden, r * width * size, ids[order[from + r]].length, size);
                }
            }
        } finally {
            inputs.values().forEach(OnnxTensor::close);
            buffers.offer(buffer); // dropped when the pool is full, i.e. it was an extra set
        }
    }

    private Buffers takeBuffers() {
        Buffers buffer = buffers.poll();
        return buffer != null ? buffer : new Buffers(); // more concurrent batches than workers: the caller's own
    }

    /** The unit-length mean of {@code length} token vectors of {@code size} floats starting at {@code offset}. */
    private static float[] meanPool(float[] hidden, int offset, int length, int size) {
        float[] pooled = new float[size];
        for (int t = 0, base = offset; t < length; t++, base += size) {
            for (int d = 0; d < size; d++) {
                pooled[d] += hidden[base + d];
            }
        }
        double norm = 0;
        for (float value : pooled) {
            norm += (double) value * value;
        }
        float scale = norm == 0 ? 0f : (float) (1.0 / Math.sqrt(norm));
        for (int d = 0; d < size; d++) {
            pooled[d] *= scale;
        }
        return pooled;
    }

    /** Keeps the first word pieces and the closing separator, as the model was trained on whole inputs. */
    private static long[] truncate(long[] ids, int limit) {
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
        workers.shutdownNow();
        session.close();
        tokenizer.close();
    }

    /**
     * Direct input buffers one batch at a time reuses (ONNX Runtime reads direct buffers in place, and copies heap
     * ones). They grow to the largest batch seen: at most batch size times 256 word pieces, 8 bytes each.
     */
    private static final class Buffers {
        private LongBuffer inputIds = allocate(0);
        private LongBuffer mask = allocate(0);
        private LongBuffer zeros = allocate(0);

        LongBuffer inputIds(int cells) {
            inputIds = ensure(inputIds, cells);
            return inputIds;
        }

        LongBuffer mask(int cells) {
            mask = ensure(mask, cells);
            return mask;
        }

        LongBuffer zeros(int cells) {
            if (zeros.capacity() < cells) {
                zeros = allocate(cells); // direct buffers start zeroed and are never written
            }
            return zeros.duplicate().limit(cells);
        }

        private static LongBuffer ensure(LongBuffer buffer, int cells) {
            LongBuffer usable = buffer.capacity() >= cells ? buffer : allocate(cells);
            usable.clear().limit(cells);
            return usable;
        }

        private static LongBuffer allocate(int cells) {
            return ByteBuffer.allocateDirect(Math.max(1, cells) * Long.BYTES).order(ByteOrder.nativeOrder()).asLongBuffer();
        }
    }
}
