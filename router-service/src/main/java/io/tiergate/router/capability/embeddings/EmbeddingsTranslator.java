package io.tiergate.router.capability.embeddings;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiergate.router.dispatch.RequestBody;
import io.tiergate.router.config.Protocol;
import io.tiergate.router.routing.Candidate;
import io.tiergate.router.translation.PassThroughTranslator;
import io.vertx.core.buffer.Buffer;
import jakarta.inject.Singleton;
import java.io.UncheckedIOException;
import java.util.Optional;

/** Embeddings to pods and OpenAI-compatible providers: the body as sent, asking a provider for its own embedding model. */
@Singleton
public class EmbeddingsTranslator extends PassThroughTranslator<EmbeddingsRequest> {

    public EmbeddingsTranslator(ObjectMapper mapper) {
        super(EmbeddingsCapability.NAME, "/embeddings", EmbeddingsRequest::body, mapper);
    }

    @Override
    public boolean speaks(Protocol protocol) {
        return protocol == Protocol.OPENAI || protocol == Protocol.POD;
    }

    /** A copy with the provider's configured embedding model when it has one; the caller's body is never changed. */
    @Override
    protected RequestBody bodyFor(EmbeddingsRequest request, Candidate candidate) {
        Optional<String> embeddingModel = candidate.provider().config().embeddingModel();
        if (embeddingModel.isEmpty()) {
            return request.body();
        }
        ObjectNode copy = mapper.createObjectNode();
        copy.setAll(request.json());
        copy.put("model", embeddingModel.get());
        try {
            return RequestBody.of(Buffer.buffer(mapper.writeValueAsBytes(copy)));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
