package io.tiergate.router.providers;

import jakarta.enterprise.context.ApplicationScoped;

/** Picks the chat wire format for a provider's protocol. */
@ApplicationScoped
public class ChatProtocols {

    private final OpenAiChatProtocol openAi;
    private final AnthropicChatProtocol anthropic;

    public ChatProtocols(OpenAiChatProtocol openAi, AnthropicChatProtocol anthropic) {
        this.openAi = openAi;
        this.anthropic = anthropic;
    }

    public ChatProtocol forProtocol(Protocol protocol) {
        return protocol == Protocol.ANTHROPIC ? anthropic : openAi;
    }
}
