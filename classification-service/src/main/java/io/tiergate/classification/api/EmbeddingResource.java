package io.tiergate.classification.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.tiergate.classification.config.ClassificationConfig;
import io.tiergate.classification.local.LocalTier;
import io.tiergate.classification.local.SentenceEncoder;
import io.tiergate.common.classification.TaskLimitsConfig;
import io.tiergate.common.problem.Problem;
import io.tiergate.common.problem.ProblemException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * OpenAI-compatible embeddings from the pod's in-process model, which also answers to the embedding model names
 * OpenAI clients send ({@code tiergate.classification.local.embedding-model-aliases}).
 */
@Path("/v1/embeddings")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class EmbeddingResource {

    private final LocalTier local;
    private final ClassificationConfig config;
    private final TaskLimitsConfig limits;
    private final Set<String> modelNames;

    public EmbeddingResource(LocalTier local, ClassificationConfig config, TaskLimitsConfig limits) {
        this.local = local;
        this.config = config;
        this.limits = limits;
        this.modelNames = new LinkedHashSet<>();
        modelNames.add(local.engine());
        modelNames.addAll(config.local().embeddingModelAliases());
    }

    @POST
    public EmbeddingResponse embed(EmbeddingRequest request) {
        if (request == null) {
            throw ProblemException.badField(null, "The request body is missing; send a JSON object with 'input'.");
        }
        List<String> texts = texts(request.input());
        if (request.model() != null && !request.model().isBlank() && !modelNames.contains(request.model())) {
            throw ProblemException.badField("model", "Field 'model' names no embedding model of this pod: " + Problem.quoted(request.model())
                    + ". Valid names, all served by " + local.engine() + ": " + String.join(", ", modelNames) + "; or leave it out.");
        }
        boolean base64 = "base64".equals(request.encodingFormat());
        if (request.encodingFormat() != null && !base64 && !"float".equals(request.encodingFormat())) {
            throw ProblemException.badField("encoding_format", "Field 'encoding_format' must be 'float' or 'base64'.");
        }
        SentenceEncoder encoder = local.encoder();
        if (request.dimensions() != null && request.dimensions() != encoder.dimension()) {
            throw ProblemException.badField("dimensions", "Field 'dimensions' must be " + encoder.dimension() + " (or left out) for " + local.engine() + ".");
        }
        SentenceEncoder.Embedded embedded = encoder.embed(texts, config.local().embeddingMaxTokens());
        float[][] vectors = embedded.vectors();
        List<EmbeddingResponse.Item> data = new ArrayList<>(vectors.length);
        for (int i = 0; i < vectors.length; i++) {
            data.add(new EmbeddingResponse.Item("embedding", i, base64 ? toBase64(vectors[i]) : vectors[i]));
        }
        int tokens = embedded.tokens();
        return new EmbeddingResponse("list", data, local.engine(), new EmbeddingResponse.Usage(tokens, tokens));
    }

    private List<String> texts(JsonNode input) {
        if (input == null || input.isNull()) {
            throw ProblemException.badField("input", "Field 'input' is required: a string or an array of strings.");
        }
        List<String> texts = new ArrayList<>();
        if (input.isTextual()) {
            texts.add(input.asText());
        } else if (input.isArray()) {
            for (int i = 0; i < input.size(); i++) {
                if (!input.get(i).isTextual()) {
                    throw ProblemException.badField("input[" + i + "]", "Field 'input[" + i + "]' must be a string; token arrays are not supported.");
                }
                texts.add(input.get(i).asText());
            }
        } else {
            throw ProblemException.badField("input", "Field 'input' must be a string or an array of strings.");
        }
        if (texts.isEmpty()) {
            throw ProblemException.badField("input", "Field 'input' must hold at least one string.");
        }
        if (texts.size() > limits.maxEmbeddingInputs()) {
            throw ProblemException.badField("input", "Field 'input' has " + texts.size() + " strings; at most "
                    + limits.maxEmbeddingInputs() + " are allowed.");
        }
        for (int i = 0; i < texts.size(); i++) {
            String field = input.isArray() ? "input[" + i + "]" : "input";
            if (texts.get(i).isBlank()) {
                throw ProblemException.badField(field, "Field '" + field + "' must not be blank.");
            }
            if (texts.get(i).length() > limits.maxExtractionChars()) {
                throw ProblemException.badField(field, "Field '" + field + "' is longer than " + limits.maxExtractionChars() + " characters.");
            }
        }
        return texts;
    }

    private static String toBase64(float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : vector) {
            bytes.putFloat(v);
        }
        return Base64.getEncoder().encodeToString(bytes.array());
    }
}
