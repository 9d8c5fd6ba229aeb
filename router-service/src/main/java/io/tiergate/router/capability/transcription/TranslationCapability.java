package io.tiergate.router.capability.transcription;

import io.tiergate.router.config.Capability;
import io.tiergate.router.config.RouterConfig;
import jakarta.inject.Singleton;

/**
 * {@code POST /v1/audio/translations}, OpenAI-compatible: speech in any language to English text, by the providers that
 * list the {@code translation} capability. One that answers it cannot translate after all (a pod whose model is
 * English-only, a provider's model without translation) is passed over for the next candidate.
 */
@Singleton
public class TranslationCapability extends SpeechToTextCapability {

    public static final String NAME = "translation";

    public TranslationCapability(RouterConfig config) {
        super(config);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String path() {
        return "/v1/audio/translations";
    }

    @Override
    public Capability requires() {
        return Capability.TRANSLATION;
    }
}
