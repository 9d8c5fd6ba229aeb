package io.tiergate.router.translation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.tiergate.quota.UsageAmount;
import io.tiergate.router.dispatch.RequestBody;
import io.tiergate.router.dispatch.UpstreamRequest;
import io.tiergate.router.providers.Backend;
import io.tiergate.router.routing.Candidate;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Function;

/**
 * For providers that already speak the caller's format (a Tiergate pod, an OpenAI-compatible embeddings endpoint):
 * the body goes as it came, to the same path under the provider's base URL, and the answer comes back as it is.
 *
 * @param <R> the capability's parsed request, which keeps the body as sent
 */
public abstract class PassThroughTranslator<R> implements Translator<R> {

    private final String capability;
    private final String path;
    private final Function<R, RequestBody> body;
    protected final ObjectMapper mapper;

    /** {@code path} is appended to the base URL (which ends in {@code /v1}), e.g. {@code /classifications}. */
    protected PassThroughTranslator(String capability, String path, Function<R, RequestBody> body, ObjectMapper mapper) {
        this.capability = capability;
        this.path = path;
        this.body = body;
        this.mapper = mapper;
    }

    @Override
    public String capability() {
        return capability;
    }

    @Override
    public UpstreamRequest request(R request, Candidate candidate, Backend backend) {
        RequestBody sent = bodyFor(request, candidate);
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add(HttpHeaderNames.CONTENT_TYPE, sent.contentType());
        backend.apiKey().ifPresent(key -> headers.add(HttpHeaderNames.AUTHORIZATION, "Bearer " + key));
        return new UpstreamRequest(candidate.provider().config().baseUrl() + path, headers, sent, false,
                candidate.provider().timeout());
    }

    /** The body this candidate is sent: the caller's, unless a subclass has a reason to change it. */
    protected RequestBody bodyFor(R request, Candidate candidate) {
        return body.apply(request);
    }

    /** OpenAI-compatible answers report {@code usage.total_tokens}. */
    @Override
    public Optional<UsageAmount> reportedUsage(Buffer upstreamBody) {
        try {
            JsonNode total = mapper.readTree(upstreamBody.getBytes()).path("usage").path("total_tokens");
            return total.isNumber() ? Optional.of(UsageAmount.tokens(total.asLong())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
