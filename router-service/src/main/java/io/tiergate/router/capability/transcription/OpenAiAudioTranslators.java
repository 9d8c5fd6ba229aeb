package io.tiergate.router.capability.transcription;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.tiergate.quota.UsageAmount;
import io.tiergate.common.transcription.TranscriptionOptions;
import io.tiergate.router.capability.audio.AudioRequest;
import io.tiergate.router.capability.audio.AudioUploads;
import io.tiergate.router.config.Protocol;
import io.tiergate.router.dispatch.RequestBody;
import io.tiergate.router.dispatch.UpstreamReply;
import io.tiergate.router.dispatch.UpstreamRequest;
import io.tiergate.router.providers.Backend;
import io.tiergate.router.providers.Provider;
import io.tiergate.router.routing.Candidate;
import io.tiergate.router.translation.Translator;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;

/**
 * Transcriptions and translations to OpenAI-compatible providers (OpenAI, Groq) and Tiergate's transcription pod, which
 * take OpenAI's form: the caller's form is passed on with the candidate's model (the caller's where the candidate names
 * none, as for chat), and the recording's bytes as they arrived, never decoded or re-encoded. The answer comes back as
 * the provider wrote it, in the caller's {@code response_format}.
 */
final class OpenAiAudioTranslators {

    private OpenAiAudioTranslators() {}

    private abstract static class Base implements Translator<AudioRequest<TranscriptionOptions>> {

        static final String LANGUAGE_UNSUPPORTED = "https://tiergate.io/problems/language-unsupported";

        private final String capability;
        private final String path;
        protected final ObjectMapper mapper;

        Base(String capability, String path, ObjectMapper mapper) {
            this.capability = capability;
            this.path = path;
            this.mapper = mapper;
        }

        @Override
        public String capability() {
            return capability;
        }

        @Override
        public boolean speaks(Protocol protocol) {
            return protocol == Protocol.OPENAI || protocol == Protocol.POD;
        }

        @Override
        public Optional<String> cannotServe(AudioRequest<TranscriptionOptions> request, Provider provider) {
            return AudioUploads.overLimits(request, provider);
        }

        @Override
        public UpstreamRequest request(AudioRequest<TranscriptionOptions> request, Candidate candidate, Backend backend) {
            RequestBody form = AudioUploads.form(request, candidate.model());
            MultiMap headers = MultiMap.caseInsensitiveMultiMap().add(HttpHeaderNames.CONTENT_TYPE, form.contentType());
            backend.apiKey().ifPresent(key -> headers.add(HttpHeaderNames.AUTHORIZATION, "Bearer " + key));
            return new UpstreamRequest(candidate.provider().config().baseUrl() + path, headers, form, false,
                    candidate.provider().timeout());
        }

        /**
         * The audio seconds the provider counted: {@code duration} of a {@code verbose_json} answer, or the
         * {@code usage} OpenAI reports in seconds; other answers (text, subtitles, plain json) do not say.
         */
        @Override
        public Optional<UsageAmount> reportedUsage(Buffer upstreamBody) {
            return AudioUploads.reportedSeconds(json(upstreamBody));
        }

        /**
         * A pod whose engine does not know the recording's language refuses with its {@code language-unsupported}
         * problem: another backend may know it, so the request goes on to the next candidate.
         */
        @Override
        public Optional<String> declined(AudioRequest<TranscriptionOptions> request, UpstreamReply reply) {
            if (reply.status() != 422) {
                return Optional.empty();
            }
            JsonNode answer = json(reply.body());
            return LANGUAGE_UNSUPPORTED.equals(answer.path("type").asText())
                    ? Optional.of("does not know the language: " + answer.path("detail").asText("language unsupported"))
                    : Optional.empty();
        }

        protected JsonNode json(Buffer body) {
            try {
                JsonNode json = body == null || body.length() == 0 ? null : mapper.readTree(body.getBytes());
                return json != null ? json : mapper.missingNode();
            } catch (IOException notJson) {
                return mapper.missingNode();
            }
        }
    }

    @Singleton
    static class Transcriptions extends Base {
        Transcriptions(ObjectMapper mapper) {
            super(TranscriptionCapability.NAME, "/audio/transcriptions", mapper);
        }
    }

    /**
     * A provider that cannot translate refuses with a 4xx: the pod with its {@code translation-unsupported} problem,
     * an OpenAI-compatible provider with its {@code error} object, whose message names translation (e.g. for a model
     * that only transcribes). That refusal sends the request on to the next candidate; any other refusal is the
     * caller's request's and goes back to the caller.
     */
    @Singleton
    static class Translations extends Base {

        static final String UNSUPPORTED = "https://tiergate.io/problems/translation-unsupported";

        Translations(ObjectMapper mapper) {
            super(TranslationCapability.NAME, "/audio/translations", mapper);
        }

        @Override
        public Optional<String> declined(AudioRequest<TranscriptionOptions> request, UpstreamReply reply) {
            Optional<String> language = super.declined(request, reply);
            if (language.isPresent() || reply.status() != 400 && reply.status() != 422) {
                return language;
            }
            JsonNode answer = json(reply.body());
            if (UNSUPPORTED.equals(answer.path("type").asText())) {
                return Optional.of("cannot translate: " + answer.path("detail").asText("translation unsupported"));
            }
            JsonNode error = answer.path("error");
            String message = error.path("message").asText("");
            JsonNode param = error.path("param");
            boolean aboutTheModel = !param.isTextual() || param.asText().equals("model");
            boolean aboutTranslation = (message + " " + error.path("code").asText("")).toLowerCase(Locale.ROOT).contains("translat");
            return aboutTranslation && aboutTheModel ? Optional.of("cannot translate: " + message) : Optional.empty();
        }
    }
}
