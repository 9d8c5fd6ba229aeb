package io.tiergate.router.capability.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiergate.router.translation.StreamReader;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Usage read from streams cut at every possible point, as a network may deliver them. */
class StreamReadersTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final String OPENAI = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Grüße\"}}],\"usage\":null}\r\n\r\n"
            + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":30,\"completion_tokens\":12,\"total_tokens\":42}}\r\n\r\n"
            + "data: [DONE]\r\n\r\n";

    private static final String ANTHROPIC = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_1","model":"claude","usage":{"input_tokens":25,"output_tokens":1}}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Grüße"}}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":15}}

            event: message_stop
            data: {"type":"message_stop"}

            """;

    @Test
    void anOpenAiStreamPassesUnchangedAndItsUsageChunkIsRead() {
        byte[] bytes = OPENAI.getBytes(StandardCharsets.UTF_8);
        for (int cut = 1; cut < bytes.length; cut++) {
            StreamReader reader = new OpenAiChatTranslator(MAPPER).streamReader();
            Buffer relayed = Buffer.buffer();
            relayed.appendBuffer(reader.next(Buffer.buffer().appendBytes(bytes, 0, cut)));
            relayed.appendBuffer(reader.next(Buffer.buffer().appendBytes(bytes, cut, bytes.length - cut)));
            assertThat(relayed.toString(StandardCharsets.UTF_8)).as("cut at %d", cut).isEqualTo(OPENAI);
            assertThat(reader.reportedTokens()).as("cut at %d", cut).isEqualTo(OptionalLong.of(42));
        }
    }

    @Test
    void anAnthropicStreamReportsItsInputTokensPlusTheLastOutputCount() {
        byte[] bytes = ANTHROPIC.getBytes(StandardCharsets.UTF_8);
        for (int cut = 1; cut < bytes.length; cut++) {
            StreamReader reader = new AnthropicChatTranslator(MAPPER).streamReader();
            String translated = reader.next(Buffer.buffer().appendBytes(bytes, 0, cut)).toString(StandardCharsets.UTF_8)
                    + reader.next(Buffer.buffer().appendBytes(bytes, cut, bytes.length - cut)).toString(StandardCharsets.UTF_8);
            assertThat(translated).as("cut at %d", cut).contains("\"content\":\"Grüße\"").endsWith("data: [DONE]\n\n");
            assertThat(reader.reportedTokens()).as("cut at %d", cut).isEqualTo(OptionalLong.of(25 + 15));
        }
    }

    @Test
    void aStreamWithoutUsageReportsNone() {
        StreamReader reader = new OpenAiChatTranslator(MAPPER).streamReader();
        reader.next(Buffer.buffer("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"}}]}\n\ndata: [DONE]\n\n"));
        assertThat(reader.reportedTokens()).isEmpty();
    }
}
