package io.tiergate.router.capability.transcription;

import io.tiergate.router.config.Capability;
import io.tiergate.router.config.RouterConfig;
import jakarta.inject.Singleton;

/**
 * {@code POST /v1/audio/transcriptions}, OpenAI-compatible: to Tiergate's transcription pod and OpenAI-compatible
 * providers (the form passed on, the recording's bytes as sent) and to Hugging Face's speech recognition (the
 * recording alone, the answer written in the caller's {@code response_format}).
 */
@Singleton
public class TranscriptionCapability extends SpeechToTextCapability {

    public static final String NAME = "transcription";

    public TranscriptionCapability(RouterConfig config) {
        super(config);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String path() {
        return "/v1/audio/transcriptions";
    }

    @Override
    public Capability requires() {
        return Capability.TRANSCRIPTION;
    }
}
