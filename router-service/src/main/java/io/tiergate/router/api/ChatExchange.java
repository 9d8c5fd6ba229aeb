package io.tiergate.router.api;

import io.tiergate.quota.UsageAmount;
import io.tiergate.router.dispatch.Exchange;
import io.tiergate.router.dispatch.UpstreamReply;
import io.tiergate.router.dispatch.UpstreamRequest;
import io.tiergate.router.providers.Backend;
import io.tiergate.router.providers.ChatProtocols;
import io.tiergate.router.routing.Candidate;
import io.tiergate.router.routing.RoutePlanner;

/** A chat completion as the dispatcher sends it: in each provider's protocol, counted in tokens. */
final class ChatExchange implements Exchange {

    private final ChatRequest chat;
    private final ChatProtocols protocols;
    private final UsageAmount estimate;

    ChatExchange(ChatRequest chat, ChatProtocols protocols) {
        this.chat = chat;
        this.protocols = protocols;
        this.estimate = UsageAmount.tokens(
                chat.estimatedPromptTokens() + RoutePlanner.expectedOutputTokens(chat.maxTokens().orElse(0)));
    }

    @Override
    public UpstreamRequest requestFor(Candidate candidate, Backend backend) {
        return protocols.forProtocol(candidate.provider().protocol()).request(chat, candidate, backend);
    }

    @Override
    public UsageAmount estimate() {
        return estimate;
    }

    @Override
    public UsageAmount actualUsage(Candidate candidate, UpstreamReply reply) {
        if (reply.status() >= 300) {
            return estimate;
        }
        return protocols.forProtocol(candidate.provider().protocol()).totalTokens(reply.body())
                .stream().mapToObj(UsageAmount::tokens).findFirst().orElse(estimate);
    }
}
