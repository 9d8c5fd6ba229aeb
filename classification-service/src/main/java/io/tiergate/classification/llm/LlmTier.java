package io.tiergate.classification.llm;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.tiergate.classification.config.ClassificationConfig;
import io.tiergate.common.classification.ChatTurn;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * The LLM tier's connection: an OpenAI-compatible chat model through quarkus-langchain4j (a local engine
 * beside the pod, or the router's {@code /v1}). Prompts are built by the shared task logic as plain
 * {@link ChatTurn}s; this is the one place they become LangChain4j messages.
 */
@ApplicationScoped
public class LlmTier {

    private final ClassificationConfig.Llm config;
    private final ChatModel chatModel;

    public LlmTier(ClassificationConfig config, ChatModel chatModel) {
        this.config = config.llm();
        this.chatModel = chatModel;
    }

    public boolean available() {
        return config.enabled();
    }

    public String engine() {
        return config.model();
    }

    public int batchSize() {
        return config.batchSize();
    }

    /** The model's reply text (possibly empty); failures to reach the model propagate as exceptions. */
    public String chat(List<ChatTurn> turns) {
        List<ChatMessage> messages = turns.stream().map(LlmTier::toMessage).toList();
        ChatResponse response = chatModel.chat(messages);
        return response == null || response.aiMessage() == null || response.aiMessage().text() == null ? "" : response.aiMessage().text();
    }

    private static ChatMessage toMessage(ChatTurn turn) {
        return switch (turn.role()) {
            case "system" -> SystemMessage.from(turn.content());
            case "assistant" -> AiMessage.from(turn.content());
            default -> UserMessage.from(turn.content());
        };
    }
}
