package io.tiergate.router.capability.transcription;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.tiergate.common.problem.Problem;
import io.tiergate.common.problem.ProblemException;
import io.tiergate.common.transcription.ResponseFormat;
import io.tiergate.common.transcription.Transcript;
import io.tiergate.common.transcription.TranscriptSegment;
import io.tiergate.common.transcription.TranscriptionOptions;
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

/**
 * Transcriptions to Hugging Face's speech recognition ({@code hf-inference}): the recording's bytes are the body, with
 * its media type, posted to {@code {base-url}/{model}} (base URL {@code https://router.huggingface.co/hf-inference/models});
 * the answer, {@code {"text": …}} with {@code chunks} of {@code {"text", "timestamp": [start, end]}} where the endpoint
 * gives them, is written in the caller's {@code response_format}. A raw-bytes call takes no parameters: the caller's
 * language, prompt and temperature are not sent (the model detects the language), and without chunks the whole
 * recording is one segment. Word timestamps cannot be had this way, so a request for them is not planned here.
 * Hugging Face cannot translate through this call: there is no translator for translations on this protocol.
 */
@Singleton
public class HfSpeechRecognitionTranslator implements Translator<AudioRequest<TranscriptionOptions>> {

    private final ObjectMapper mapper;

    public HfSpeechRecognitionTranslator(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public String capability() {
        return TranscriptionCapability.NAME;
    }

    @Override
    public boolean speaks(Protocol protocol) {
        return protocol == Protocol.HF_INFERENCE;
    }

    @Override
    public Optional<String> cannotServe(AudioRequest<TranscriptionOptions> request, Provider provider) {
        if (request.options().wantsWords()) {
            return Optional.of("word timestamps (timestamp_granularities[]=word) are not given by hf-inference speech recognition");
        }
        return AudioUploads.overLimits(request, provider);
    }

    @Override
    public UpstreamRequest request(AudioRequest<TranscriptionOptions> request, Candidate candidate, Backend backend) {
        String type = AudioUploads.mediaType(request);
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .add(HttpHeaderNames.CONTENT_TYPE, type)
                .add(HttpHeaderNames.ACCEPT, "application/json");
        backend.apiKey().ifPresent(key -> headers.add(HttpHeaderNames.AUTHORIZATION, "Bearer " + key));
        String model = candidate.model().orElse(request.options().model());
        AudioForm.Upload recording = request.form().file();
        return new UpstreamRequest(candidate.provider().config().baseUrl() + "/" + model, headers,
                new RequestBody.Spooled(recording.path(), recording.size(), type), false, candidate.provider().timeout());
    }

    /** The answer does not say how much audio was counted: the probed length is committed. */
    @Override
    public Optional<UsageAmount> reportedUsage(Buffer upstreamBody) {
        return Optional.empty();
    }

    @Override
    public CallerAnswer answer(AudioRequest<TranscriptionOptions> request, UpstreamReply reply) {
        TranscriptionOptions options = request.options();
        ResponseFormat format = options.responseFormat();
        Transcript transcript = transcript(request, read(reply.body()));
        return new CallerAnswer(format.contentType(), Buffer.buffer(format.render(transcript)));
    }

    private JsonNode read(Buffer body) {
        try {
            JsonNode answer = mapper.readTree(body.getBytes());
            if (answer != null && answer.path("text").isTextual()) {
                return answer;
            }
        } catch (IOException notJson) {
            // Reported below.
        }
        throw new ProblemException(Problem.of(502, "upstream-unreadable", "Unreadable answer",
                "Hugging Face answered without a transcript (no 'text')"));
    }

    private static Transcript transcript(AudioRequest<TranscriptionOptions> request, JsonNode answer) {
        double duration = request.audio().durationSeconds();
        String text = answer.path("text").asText().strip();
        double temperature = request.options().temperature();
        List<TranscriptSegment> segments = new ArrayList<>();
        for (JsonNode chunk : answer.path("chunks")) {
            JsonNode times = chunk.path("timestamp");
            double start = times.path(0).asDouble(0);
            double end = times.path(1).isNumber() ? times.path(1).asDouble() : duration;
            segments.add(segment(segments.size(), start, end, chunk.path("text").asText(""), temperature));
        }
        if (segments.isEmpty() && !text.isEmpty()) {
            segments.add(segment(0, 0, duration, text, temperature));
        }
        String language = request.options().language().map(TranscriptionOptions::languageName).orElse(null);
        return new Transcript(Transcript.TRANSCRIBE, language, duration, text, segments, null);
    }

    /** A segment as Hugging Face gives it: times and text; the token-level numbers of OpenAI's segments are not known. */
    private static TranscriptSegment segment(int id, double start, double end, String text, double temperature) {
        return new TranscriptSegment(id, 0, start, end, text.strip(), List.of(), temperature, 0, 0, 0);
    }
}
