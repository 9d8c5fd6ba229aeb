package io.tiergate.diarization.engine.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiergate.diarization.config.DiarizationConfig;
import io.tiergate.diarization.engine.DiarizedRecording;
import io.tiergate.diarization.engine.SpeakerCountHint;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * Fronts a Hugging Face Inference Endpoint running a pyannote speaker-diarization pipeline behind a custom handler:
 * one {@code POST} to the endpoint's URL with the Hugging Face token, the JSON body {@code {"inputs": <the WAV file in
 * base64>, "parameters": {"num_speakers" | "min_speakers", "max_speakers"}}} (the parameters are the pipeline's own
 * keyword arguments, given only when the caller gave a count), answered with
 * {@code {"diarization": [{"speaker", "start", "end"}]}} as pyannote's handler writes it (times as numeric strings;
 * numbers, {@code label} and {@code stop} are read too). The answer comes when the endpoint is done, so the whole
 * recording must be diarized within {@code remote.timeout}; an endpoint scaled to zero or starting answers 503, which
 * the pod passes on as {@code remote-busy} so the router tries elsewhere.
 */
public final class HfEndpointEngine extends RemoteEngine {

    /** Bytes of WAV encoded at a time: a multiple of 3, so that the pieces' Base64 joins without padding. */
    private static final int BLOCK = 3 * 16_384;

    private final URI endpoint;
    private final String authorization;

    HfEndpointEngine(DiarizationConfig.Remote config) {
        super("the Hugging Face endpoint", config);
        this.endpoint = config.baseUrl().orElseThrow();
        this.authorization = "Bearer " + config.apiKey().orElseThrow();
    }

    @Override
    public String describe() {
        return "the Hugging Face Inference Endpoint at " + endpoint + " (a pyannote handler), for at most "
                + config.timeout().toSeconds() + " s a recording";
    }

    @Override
    DiarizedRecording diarizeFile(Path wav, double duration, SpeakerCountHint hint, long deadline) throws IOException {
        Path body = Files.createTempFile("tiergate-diarization-", ".json");
        try {
            writeBody(wav, RemoteApi.speakerCounts(RemoteApi.JSON.createObjectNode(), hint, "num_speakers",
                    "min_speakers", "max_speakers"), body);
            HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(RemoteApi.remaining(deadline))
                    .header("Authorization", authorization).header("Content-Type", "application/json")
                    .header("Accept", "application/json").POST(HttpRequest.BodyPublishers.ofFile(body)).build();
            String step = "POST to the endpoint";
            JsonNode turns = api.call(step, request, deadline).path("diarization");
            if (!turns.isArray()) {
                throw api.unreadable(step, "it has no diarization list");
            }
            return api.recording(step, turns, duration);
        } finally {
            Files.deleteIfExists(body);
        }
    }

    /** The request body, written as the WAV file is read, so that a long recording takes a buffer of memory. */
    static void writeBody(Path wav, ObjectNode parameters, Path body) throws IOException {
        Base64.Encoder base64 = Base64.getEncoder();
        try (InputStream in = Files.newInputStream(wav); OutputStream out = Files.newOutputStream(body)) {
            out.write("{\"inputs\":\"".getBytes(StandardCharsets.US_ASCII));
            for (byte[] block; (block = in.readNBytes(BLOCK)).length > 0; ) {
                out.write(base64.encode(block));
            }
            out.write('"');
            if (!parameters.isEmpty()) {
                out.write((",\"parameters\":" + parameters).getBytes(StandardCharsets.UTF_8));
            }
            out.write('}');
        }
    }
}
