package io.tiergate.router.pipeline;

import io.tiergate.quota.UsageAmount;

/**
 * What one request is expected to use, before any provider is called: input and output tokens (output being the
 * caller's cap, or a typical answer's size) and audio seconds. Quota is reserved for it, candidates are costed by it
 * and explanations test accounts against it.
 */
public record UsageEstimate(long inputTokens, long outputTokens, long audioSeconds) {

    /** Output size assumed when the caller does not cap it. */
    private static final long TYPICAL_OUTPUT_TOKENS = 256;

    /** Characters per token of English and code across common tokenizers: the one text-size rule of the router. */
    private static final int CHARS_PER_TOKEN = 4;

    /** What a request of {@code characters} of text costs in tokens, plus {@code overheadTokens} of framing. */
    public static long tokensOfText(long characters, long overheadTokens) {
        return characters / CHARS_PER_TOKEN + overheadTokens;
    }

    /** The output a request is planned for: its own cap, or a typical answer's size. */
    public static long expectedOutput(long requestedCap) {
        return requestedCap > 0 ? requestedCap : TYPICAL_OUTPUT_TOKENS;
    }

    /** The quota one call of this request holds until it is settled. */
    public UsageAmount reservation() {
        return new UsageAmount(inputTokens + outputTokens, audioSeconds);
    }
}
