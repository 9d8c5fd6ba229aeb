package io.tiergate.router.providers;

import io.tiergate.router.api.ChatRequest;
import io.tiergate.router.dispatch.UpstreamRequest;
import io.tiergate.router.routing.Candidate;
import io.vertx.core.buffer.Buffer;
import java.util.OptionalLong;

/** Speaks OpenAI chat completions to callers and a provider's own chat format to the provider. */
public interface ChatProtocol {

    UpstreamRequest request(ChatRequest chat, Candidate candidate, Backend backend);

    /** Tokens a successful non-streamed answer says it used (prompt and completion), when it says. */
    OptionalLong totalTokens(Buffer upstreamBody);

    /** A provider's successful answer as an OpenAI chat completion. */
    Buffer toOpenAi(Buffer upstreamBody);

    /** A reader for one streamed answer of this provider. */
    StreamReader streamReader();

    /**
     * Reads a provider's event stream as it passes to the caller: rewrites it into OpenAI chunks where the provider
     * speaks another format, and keeps the token usage the stream reports, so quota is settled with it at the end.
     */
    interface StreamReader {

        /** {@code chunk} as OpenAI server-sent events: the same buffer when the stream already is OpenAI's. */
        Buffer next(Buffer chunk);

        /** Tokens (prompt and completion) the stream has reported so far, if it has. */
        OptionalLong reportedTokens();
    }
}
