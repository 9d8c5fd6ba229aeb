package io.tiergate.router.pipeline;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import io.tiergate.quota.UsageAmount;

/**
 * What one request is expected to use, before any provider is called: input tokens (counted with a real tokenizer),
 * output tokens (the caller's cap, or a typical answer's size) and audio seconds. Quota is reserved for it, candidates
 * are costed by it and explanations test accounts against it.
 *
 * <p>{@code fewestOutputTokens} is how far the output may shrink when an account has less room than the whole
 * estimate: the router then sends the provider a lower output cap instead of passing the account by. It equals
 * {@code outputTokens} for requests whose output cannot be capped.
 */
public record UsageEstimate(long inputTokens, long outputTokens, long audioSeconds, long fewestOutputTokens) {

    /** Output size assumed when the caller does not cap it; on a token-limited account it becomes the cap sent. */
    private static final long TYPICAL_OUTPUT_TOKENS = 1024;

    /**
     * OpenAI's cl100k encoding: exact for GPT-4 and GPT-3.5 models and within a few percent of o200k (GPT-4o) and of
     * Llama 3's tokenizer, which extends it; the tokenizers of other families are not published on Maven Central.
     */
    private static final Encoding ENCODING = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);

    public UsageEstimate {
        if (fewestOutputTokens > outputTokens) {
            throw new IllegalArgumentException("fewest output tokens " + fewestOutputTokens + " exceed the output " + outputTokens);
        }
    }

    /** An estimate whose output cannot shrink. */
    public static UsageEstimate fixed(long inputTokens, long outputTokens, long audioSeconds) {
        return new UsageEstimate(inputTokens, outputTokens, audioSeconds, outputTokens);
    }

    /**
     * The tokens {@code text} is made of. Markers such as {@code <|endoftext|>} count as the plain text they are:
     * a caller cannot smuggle control tokens past the count.
     */
    public static long tokensOf(String text) {
        return ENCODING.countTokensOrdinary(text);
    }

    /** The output a request is planned for: its own cap, or a typical answer's size. */
    public static long expectedOutput(long requestedCap) {
        return requestedCap > 0 ? requestedCap : TYPICAL_OUTPUT_TOKENS;
    }

    /** The quota one call of this request holds until it is settled. */
    public UsageAmount reservation() {
        return new UsageAmount(inputTokens + outputTokens, audioSeconds);
    }

    /** The least quota one call can do with: its whole input and its output shrunk as far as it may be. */
    public UsageAmount smallestReservation() {
        return new UsageAmount(inputTokens + fewestOutputTokens, audioSeconds);
    }
}
