package io.tiergate.classification.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.List;
import java.util.Optional;

/**
 * The pod's settings under {@code tiergate.classification}; its request size limits are
 * {@link io.tiergate.common.classification.TaskLimitsConfig}, which the router reads too.
 */
@ConfigMapping(prefix = "tiergate.classification")
public interface ClassificationConfig {

    Local local();

    Cascade cascade();

    Llm llm();

    interface Local {
        /**
         * The in-process sentence-embedding model: the base name of the ONNX file and its tokenizer on the
         * classpath, as shipped by LangChain4j's in-process embedding model artifacts.
         */
        @WithDefault("all-minilm-l6-v2-q")
        String model();

        /** {@code cpu}, or {@code cuda} with the onnxruntime_gpu artifact in place of onnxruntime. */
        @WithDefault("cpu")
        String device();

        @WithDefault("0")
        @Min(0)
        int deviceId();

        /**
         * CPU cores the encoder uses; 0 uses every core. On CPU that many batches run at once, one core each (faster
         * than splitting each batch's small matrix products over the cores); on CUDA one batch runs at a time.
         */
        @WithDefault("0")
        @Min(0)
        int threads();

        /** Sentences run through the model together (a request's lines are sorted by length, so padding stays small). */
        @WithDefault("16")
        @Min(1)
        int batchSize();

        /** Word pieces of a line the classifier reads; the start of a line decides its label, and longer inputs cost time. */
        @WithDefault("64")
        @Min(1)
        int classificationMaxTokens();

        /** Word pieces embedded by {@code /v1/embeddings} (the model's own limit is 256). */
        @WithDefault("256")
        @Min(1)
        int embeddingMaxTokens();

        /**
         * Other names {@code /v1/embeddings} accepts for {@link #model()}: the models OpenAI clients ask for by default,
         * so they work against the pod unchanged, and the unquantized model's name. The answer names {@link #model()}
         * whatever was asked; any name that is neither this model nor an alias is refused.
         */
        @WithDefault("text-embedding-3-small,text-embedding-3-large,text-embedding-ada-002,all-minilm-l6-v2")
        List<String> embeddingModelAliases();

        /**
         * L2 penalty of the logistic-regression classifier trained on a task's examples, against their summed loss. 1.0 is
         * the best of 0.01, 0.1, 1, 3 and 10 for the built-in ic-ooc task on episodes it was not trained on (IcOocAccuracyTest):
         * weaker penalties fit the training episodes' scenes and voices, stronger ones lose accuracy on diarized lines.
         */
        @WithDefault("1.0")
        @DecimalMin("0")
        double l2();
    }

    interface Cascade {
        /** Lines whose local confidence is under this escalate to the LLM tier (when one is configured). */
        @WithDefault("0.7")
        @DecimalMin("0")
        @DecimalMax("1")
        double threshold();
    }

    interface Llm {
        /** Whether an OpenAI-compatible LLM (a vLLM/Ollama beside the pod, or the router's /v1) is configured. */
        @WithDefault("false")
        boolean enabled();

        /** The LLM's OpenAI-compatible base URL, e.g. http://localhost:11434/v1 or the router's http://router:8080/v1. */
        @WithDefault("http://localhost:11434/v1")
        String baseUrl();

        /** The model name sent to the LLM (and reported as the engine). */
        @WithDefault("qwen2.5:7b-instruct")
        String model();

        /** Lines classified per LLM call. */
        @WithDefault("25")
        @Min(1)
        @Max(200)
        int batchSize();

        /** Key for the LLM server, when it wants one. Cloud keys stay in the router; this pod never holds them. */
        Optional<String> apiKey();
    }
}
