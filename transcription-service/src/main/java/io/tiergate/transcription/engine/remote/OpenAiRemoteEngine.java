package io.tiergate.transcription.engine.remote;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.tiergate.audio.WavFile;
import io.tiergate.common.transcription.Transcript;
import io.tiergate.common.transcription.TranscriptSegment;
import io.tiergate.common.transcription.TranscriptWord;
import io.tiergate.transcription.config.TranscriptionConfig;
import io.tiergate.transcription.engine.EngineOutput;
import io.tiergate.transcription.engine.EngineRequest;
import io.tiergate.transcription.engine.EngineStatus;
import io.tiergate.transcription.engine.TranscriptionEngine;
import io.smallrye.mutiny.TimeoutException;
import io.vertx.core.buffer.Buffer;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jboss.resteasy.reactive.client.api.ClientMultipartForm;

/**
 * Fronts an OpenAI-compatible transcription server beside the pod: each chunk goes to it as a WAV file asking for
 * {@code verbose_json} with word timestamps, so the pod stitches long audio for a server that may take only short
 * files, and the router sees one pod whatever runs behind it.
 */
public final class OpenAiRemoteEngine implements TranscriptionEngine {

    private final TranscriptionConfig.Remote config;
    private final OpenAiTranscriptionClient client;
    private final EngineStatus status;
    private final int slots;

    public OpenAiRemoteEngine(TranscriptionConfig.Remote config, int slots) {
        this.config = config;
        this.slots = slots;
        URI baseUrl = config.baseUrl().orElse(null);
        this.client = baseUrl == null ? null : QuarkusRestClientBuilder.newBuilder().baseUri(baseUrl)
                .connectTimeout(10, TimeUnit.SECONDS)
                .readTimeout(config.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .build(OpenAiTranscriptionClient.class);
        this.status = baseUrl == null
                ? EngineStatus.broken("tiergate.transcription.remote.base-url is not set")
                : EngineStatus.ready(config.model() + " at " + baseUrl);
    }

    @Override
    public String name() {
        return "openai";
    }

    @Override
    public Set<String> languages() {
        return Set.of();
    }

    @Override
    public boolean wordTimings() {
        return true;
    }

    @Override
    public boolean translates() {
        return config.translates();
    }

    @Override
    public int slots() {
        return slots;
    }

    @Override
    public EngineStatus status() {
        return status;
    }

    @Override
    public EngineOutput transcribe(float[] samples, EngineRequest request) throws IOException {
        ClientMultipartForm form = ClientMultipartForm.create()
                .binaryFileUpload("file", "chunk.wav", Buffer.buffer(WavFile.bytes(samples, 0, samples.length)), "audio/wav")
                .attribute("model", config.model(), null)
                .attribute("response_format", "verbose_json", null)
                .attribute("temperature", Double.toString(request.temperature()), null)
                .attribute("timestamp_granularities[]", "segment", null);
        if (request.words()) {
            form.attribute("timestamp_granularities[]", "word", null);
        }
        request.prompt().ifPresent(prompt -> form.attribute("prompt", prompt, null));
        if (!request.translate()) {
            request.language().ifPresent(language -> form.attribute("language", language, null));
        }
        String authorization = config.apiKey().map(key -> "Bearer " + key).orElse(null);
        try {
            Transcript answer = (request.translate() ? client.translate(authorization, form) : client.transcribe(authorization, form))
                    .await().atMost(config.timeout());
            return new EngineOutput(answer.language(), segments(answer));
        } catch (TimeoutException e) {
            throw new IOException("the transcription server did not answer within tiergate.transcription.remote.timeout ("
                    + config.timeout().toSeconds() + " s)");
        } catch (WebApplicationException e) {
            throw new IOException("the transcription server answered " + e.getResponse().getStatus());
        } catch (ProcessingException e) {
            throw new IOException("the transcription server could not be reached: " + e.getMessage(), e);
        }
    }

    /** The answer's segments, each with the words that fall in it (servers list words apart from segments). */
    private static List<EngineOutput.Segment> segments(Transcript answer) {
        List<TranscriptWord> words = answer.words() == null ? List.of() : answer.words();
        List<TranscriptSegment> segments = answer.segments() == null || answer.segments().isEmpty()
                ? List.of(new TranscriptSegment(0, 0, 0, answer.duration(), answer.text(), List.of(), 0, 0, 0, 0))
                : answer.segments();
        List<EngineOutput.Segment> out = new ArrayList<>();
        int next = 0;
        for (int i = 0; i < segments.size(); i++) {
            TranscriptSegment segment = segments.get(i);
            boolean last = i == segments.size() - 1;
            List<TranscriptWord> inside = new ArrayList<>();
            while (next < words.size() && (last || words.get(next).start() < segment.end())) {
                inside.add(words.get(next++));
            }
            out.add(new EngineOutput.Segment(segment.start(), segment.end(), segment.text(), segment.avgLogprob(),
                    segment.noSpeechProb(), inside));
        }
        return out;
    }
}
