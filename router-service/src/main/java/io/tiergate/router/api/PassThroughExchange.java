package io.tiergate.router.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.tiergate.quota.UsageAmount;
import io.tiergate.router.dispatch.Exchange;
import io.tiergate.router.dispatch.UpstreamReply;
import io.tiergate.router.dispatch.UpstreamRequest;
import io.tiergate.router.providers.Backend;
import io.tiergate.router.routing.Candidate;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.Optional;

/**
 * A request whose wire format the backend already speaks (a Tiergate pod's classification API, an
 * OpenAI-compatible embeddings endpoint): the body is sent as it came, to the same path under the
 * backend's base URL.
 */
final class PassThroughExchange implements Exchange {

    private static final String EMBEDDINGS = "/embeddings";

    private final String path;
    private final Buffer body;
    private final UsageAmount estimate;
    private final ObjectMapper mapper;

    PassThroughExchange(String path, Buffer body, long estimatedTokens, ObjectMapper mapper) {
        this.path = path;
        this.body = body;
        this.estimate = UsageAmount.tokens(estimatedTokens);
        this.mapper = mapper;
    }

    @Override
    public UpstreamRequest requestFor(Candidate candidate, Backend backend) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        backend.apiKey().ifPresent(key -> headers.add(HttpHeaderNames.AUTHORIZATION, "Bearer " + key));
        return new UpstreamRequest(candidate.provider().config().baseUrl() + path, headers, bodyFor(candidate), false,
                candidate.provider().timeout());
    }

    /** The body as sent, except that a provider with its own embedding model gets asked for that model. */
    private Buffer bodyFor(Candidate candidate) {
        Optional<String> embeddingModel = candidate.provider().config().embeddingModel();
        if (!path.equals(EMBEDDINGS) || embeddingModel.isEmpty()) {
            return body;
        }
        try {
            JsonNode request = mapper.readTree(body.getBytes());
            if (!request.isObject()) {
                return body;
            }
            ((ObjectNode) request).put("model", embeddingModel.get());
            return Buffer.buffer(mapper.writeValueAsBytes(request));
        } catch (IOException e) {
            return body;
        }
    }

    @Override
    public UsageAmount estimate() {
        return estimate;
    }

    /** OpenAI-compatible answers report {@code usage.total_tokens}; others are counted at the estimate. */
    @Override
    public UsageAmount actualUsage(Candidate candidate, UpstreamReply reply) {
        try {
            JsonNode total = mapper.readTree(reply.body().getBytes()).path("usage").path("total_tokens");
            return total.isNumber() ? UsageAmount.tokens(total.asLong()) : estimate;
        } catch (IOException e) {
            return estimate;
        }
    }
}
