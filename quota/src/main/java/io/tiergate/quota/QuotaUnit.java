package io.tiergate.quota;

/** What a limit counts. Every reservation counts one request, plus its estimated tokens and audio seconds. */
public enum QuotaUnit {
    REQUESTS,
    TOKENS,
    AUDIO_SECONDS
}
