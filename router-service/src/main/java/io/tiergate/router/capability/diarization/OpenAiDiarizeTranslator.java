package io.tiergate.router.capability.diarization;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.tiergate.common.diarization.AttributedDiarization;
import io.tiergate.common.diarization.Diarization;
import io.tiergate.common.diarization.DiarizationOptions;
import io.tiergate.common.diarization.DiarizationRttm;
import io.tiergate.common.diarization.DiarizedTranscript;
import io.tiergate.common.diarization.SpeakerTurn;
import io.tiergate.common.problem.Problem;
import io.tiergate.common.problem.ProblemException;
import io.tiergate.quota.UsageAmount;
import io.tiergate.audio.form.AudioForm;
import io.tiergate.router.capability.audio.AudioRequest;
import io.tiergate.router.capability.audio.AudioUploads;
import io.tiergate.router.config.Protocol;
import io.tiergate.router.dispatch.RequestBody;
import io.tiergate.router.dispatch.UpstreamReply;
import io.tiergate.router.dispatch.UpstreamRequest;
import io.tiergate.router.providers.Backend;
import io.tiergate.router.providers.Provider;
import io.tiergate.router.routing.Candidate;
import io.tiergate.router.translation.CallerAnswer;
import io.tiergate.router.translation.Translator;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Diarizations to OpenAI's {@code gpt-4o-transcribe-diarize} (an {@code openai}-protocol provider listing the
 * {@code diarization} capability), which transcribes and diarizes in one call. It is sent OpenAI's transcription form,
 * {@code POST {base-url}/audio/transcriptions} with {@code file} (the recording's bytes as they arrived), {@code model}
 * (the candidate's), {@code response_format=diarized_json} (the only format that labels speakers) and
 * {@code chunking_strategy=auto} (which that model requires for audio over 30 seconds), plus the caller's
 * {@code known_speaker_names[]} and {@code known_speaker_references[]} when it sent them. OpenAI's API takes no speaker
 * count, so {@code num_speakers}, {@code min_speakers} and {@code max_speakers} are not sent.
 *
 * <p>Its {@code diarized_json} answer, whose segments carry their speaker and text, is written as the pod writes a
 * diarization attributed from a {@code diarized_json} transcript ({@link AttributedDiarization#fromDiarized}): JSON
 * with each segment's text, or RTTM lines, speaker labels made one token. A caller's own {@code transcript} to
 * attribute cannot be given to this call, so such a request is not planned here.
 */
@Singleton
public class OpenAiDiarizeTranslator implements Translator<AudioRequest<DiarizationOptions>> {

    static final String KNOWN_SPEAKER_REFERENCES = "known_speaker_references[]";
    static final Set<String> KNOWN_SPEAKER_FIELDS = Set.of("known_speaker_names[]", KNOWN_SPEAKER_REFERENCES);
    private static final String RTTM_TYPE = "text/plain; charset=UTF-8";

    private final ObjectMapper mapper;

    public OpenAiDiarizeTranslator(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public String capability() {
        return DiarizationCapability.NAME;
    }

    @Override
    public boolean speaks(Protocol protocol) {
        return protocol == Protocol.OPENAI;
    }

    @Override
    public Optional<String> cannotServe(AudioRequest<DiarizationOptions> request, Provider provider) {
        if (request.form().count(DiarizationCapability.TRANSCRIPT) > 0) {
            return Optional.of("a transcript to attribute is not taken by OpenAI's diarized transcription, which transcribes"
                    + " the recording itself");
        }
        return AudioUploads.overLimits(request, provider);
    }

    @Override
    public UpstreamRequest request(AudioRequest<DiarizationOptions> request, Candidate candidate, Backend backend) {
        List<AudioForm.Part> parts = new ArrayList<>();
        parts.add(new AudioForm.Field("model", candidate.model().orElse(request.options().model())));
        parts.add(request.form().file());
        parts.add(new AudioForm.Field("response_format", "diarized_json"));
        parts.add(new AudioForm.Field("chunking_strategy", "auto"));
        parts.addAll(request.form().only(KNOWN_SPEAKER_FIELDS::contains));
        RequestBody form = AudioUploads.multipart(request, parts);
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add(HttpHeaderNames.CONTENT_TYPE, form.contentType());
        backend.apiKey().ifPresent(key -> headers.add(HttpHeaderNames.AUTHORIZATION, "Bearer " + key));
        return new UpstreamRequest(candidate.provider().config().baseUrl() + "/audio/transcriptions", headers, form, false,
                candidate.provider().timeout());
    }

    /** The {@code usage} in seconds OpenAI reports, else the answer's {@code duration}. */
    @Override
    public Optional<UsageAmount> reportedUsage(Buffer upstreamBody) {
        try {
            JsonNode answer = upstreamBody == null || upstreamBody.length() == 0 ? null : mapper.readTree(upstreamBody.getBytes());
            if (answer == null) {
                return Optional.empty();
            }
            JsonNode usage = answer.path("usage");
            if ("duration".equals(usage.path("type").asText()) && usage.path("seconds").isNumber()
                    && usage.path("seconds").asDouble() >= 0) {
                return Optional.of(UsageAmount.audioSeconds((long) Math.ceil(usage.path("seconds").asDouble())));
            }
            return AudioUploads.reportedSeconds(answer);
        } catch (IOException notJson) {
            return Optional.empty();
        }
    }

    @Override
    public CallerAnswer answer(AudioRequest<DiarizationOptions> request, UpstreamReply reply) {
        AttributedDiarization attributed = AttributedDiarization.fromDiarized(read(reply.body()), request.audio().durationSeconds());
        if (request.options().format() == DiarizationOptions.Format.RTTM) {
            Diarization turns = attributed.withoutText();
            Diarization tokens = new Diarization(turns.duration(), turns.speakers().stream().map(DiarizationRttm::speakerToken).toList(),
                    turns.segments().stream().map(turn -> new SpeakerTurn(DiarizationRttm.speakerToken(turn.speaker()),
                            turn.start(), turn.end())).toList(), turns.overlap(), turns.engine());
            String uri = DiarizationRttm.uriOf(request.form().file().filename());
            return new CallerAnswer(RTTM_TYPE, Buffer.buffer(DiarizationRttm.render(tokens, uri)));
        }
        try {
            return new CallerAnswer("application/json", Buffer.buffer(mapper.writeValueAsBytes(attributed)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write a diarization as JSON", e);
        }
    }

    private DiarizedTranscript read(Buffer body) {
        try {
            DiarizedTranscript transcript = mapper.readValue(body.getBytes(), DiarizedTranscript.class);
            if (transcript != null && transcript.segments() != null
                    && transcript.segments().stream().allMatch(segment -> segment != null && segment.speaker() != null)) {
                return transcript;
            }
        } catch (IOException notDiarized) {
            // Reported below.
        }
        throw new ProblemException(Problem.of(502, "upstream-unreadable", "Unreadable answer",
                "OpenAI answered without a diarized_json transcription (segments with their speaker)"));
    }
}
