package io.tiergate.router.providers;

import io.tiergate.router.api.ChatRequest;
import io.tiergate.router.dispatch.UpstreamRequest;
import io.tiergate.router.routing.Candidate;
import io.vertx.core.buffer.Buffer;
import java.util.Optional;
import java.util.OptionalLong;

/** Speaks OpenAI chat completions to callers and a provider's own chat format to the provider. */
public interface ChatProtocol {

    UpstreamRequest request(ChatRequest chat, Candidate candidate, Backend backend);

    /** Tokens a successful non-streamed answer says it used (prompt and completion), when it says. */
    OptionalLong totalTokens(Buffer upstreamBody);

    /** A provider's successful answer as an OpenAI chat completion. */
    Buffer toOpenAi(Buffer upstreamBody);

    /** Rewrites a provider's event stream into OpenAI chunks; empty when the stream already is one. */
    Optional<StreamTranslator> streamTranslator();

    /** Turns chunks of a provider's server-sent events into OpenAI-format server-sent events. */
    interface StreamTranslator {
        Buffer translate(Buffer chunk);
    }
}
