package io.tiergate.diarization.engine.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiergate.common.problem.Problem;
import io.tiergate.common.problem.ProblemException;
import io.tiergate.diarization.config.DiarizationConfig;
import io.tiergate.diarization.engine.DiarizedRecording;
import io.tiergate.diarization.engine.SpeakerCountHint;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Fronts pyannoteAI's diarization job API (or a server beside the pod that speaks it): the recording's WAV file is put
 * in the API's temporary media storage ({@code POST /v1/media/input} with a {@code media://} key answers a pre-signed
 * URL the file is PUT to), a job is created for it ({@code POST /v1/diarize}), and the job is polled
 * ({@code GET /v1/jobs/{jobId}}) until it has succeeded, with {@code output.diarization} its turns, or failed. The key
 * goes only to the API, never to the pre-signed URL.
 */
public final class PyannoteAiEngine extends RemoteEngine {

    /** The API's own address, when {@code base-url} names none. */
    static final URI API = URI.create("https://api.pyannote.ai");

    private static final Logger LOG = Logger.getLogger(PyannoteAiEngine.class);
    private static final Set<String> WAITING = Set.of("created", "pending", "running");
    /** Job ids go into a path: anything but these characters is not taken from the API. */
    private static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9._-]{1,200}");

    private final String authorization;
    private final URI baseUrl;

    PyannoteAiEngine(DiarizationConfig.Remote config) {
        super("pyannoteAI", config);
        this.authorization = "Bearer " + config.apiKey().orElseThrow();
        String base = address(config).orElseThrow().toString();
        this.baseUrl = URI.create(base.endsWith("/") ? base : base + "/");
    }

    @Override
    public String describe() {
        return "pyannoteAI's job API at " + baseUrl + " (model " + config.model().orElse("the API's default")
                + "), polled every " + config.pollInterval().toMillis() + " ms for at most "
                + config.timeout().toSeconds() + " s";
    }

    @Override
    DiarizedRecording diarizeFile(Path wav, double duration, SpeakerCountHint hint, long deadline) throws IOException {
        String media = "media://tiergate/" + UUID.randomUUID() + ".wav";
        upload(media, wav, deadline);
        String jobId = submit(media, hint, deadline);
        return api.recording("GET /v1/jobs/" + jobId, await(jobId, deadline), duration);
    }

    /** Creates the media location and PUTs the file to the pre-signed URL it answers (without the API key). */
    private void upload(String media, Path wav, long deadline) throws IOException {
        ObjectNode body = RemoteApi.JSON.createObjectNode().put("url", media);
        JsonNode answer = api.call("POST /v1/media/input", post("v1/media/input", body, deadline), deadline);
        String presigned = answer.path("url").asText("");
        URI target;
        try {
            target = URI.create(presigned);
        } catch (IllegalArgumentException e) {
            throw api.unreadable("POST /v1/media/input", "its upload url is not a URL");
        }
        if (!"https".equalsIgnoreCase(target.getScheme()) && !"http".equalsIgnoreCase(target.getScheme())) {
            throw api.unreadable("POST /v1/media/input", "it gave no http(s) upload url");
        }
        HttpRequest put = HttpRequest.newBuilder(target).timeout(RemoteApi.remaining(deadline))
                .PUT(HttpRequest.BodyPublishers.ofFile(wav)).build();
        HttpResponse<String> response = api.send("PUT to the upload url", put, deadline);
        if (response.statusCode() / 100 != 2) {
            throw api.refused("PUT to the upload url", response);
        }
    }

    /** Creates the diarization job; its id. */
    private String submit(String media, SpeakerCountHint hint, long deadline) throws IOException {
        ObjectNode body = RemoteApi.speakerCounts(RemoteApi.JSON.createObjectNode().put("url", media), hint,
                "numSpeakers", "minSpeakers", "maxSpeakers");
        config.model().ifPresent(model -> body.put("model", model));
        JsonNode answer = api.call("POST /v1/diarize", post("v1/diarize", body, deadline), deadline);
        String jobId = answer.path("jobId").asText("");
        if (!JOB_ID.matcher(jobId).matches()) {
            throw api.unreadable("POST /v1/diarize", "it gave no usable jobId");
        }
        LOG.infof("pyannoteAI diarization job %s created (%s)", jobId, answer.path("status").asText("no status"));
        return jobId;
    }

    /**
     * Polls the job until it succeeds (its {@code output.diarization}), fails, or the deadline passes. A poll the API
     * rate-limits or fails on is tried again at the next interval: only the job's own end, or the deadline, ends it.
     */
    private JsonNode await(String jobId, long deadline) throws IOException {
        String step = "GET /v1/jobs/" + jobId;
        String last = "created";
        String lastPoll = "";
        while (true) {
            long wait = Math.min(config.pollInterval().toNanos(), deadline - System.nanoTime());
            if (wait <= 0) {
                throw api.timedOut("job " + jobId + " was still " + last + lastPoll);
            }
            sleep(wait);
            HttpRequest get = request("v1/jobs/" + jobId, deadline).GET().build();
            HttpResponse<String> response;
            try {
                response = api.send(step, get, deadline);
            } catch (ProblemException e) {
                // A poll cut short by the deadline: what the caller needs is how far the job had got.
                throw e.problem().status() == 504 ? api.timedOut("job " + jobId + " was still " + last + lastPoll) : e;
            }
            int status = response.statusCode();
            if (status == 429 || status / 100 == 5) {
                lastPoll = " (the last poll was answered " + status + ")";
                continue;
            }
            if (status / 100 != 2) {
                throw api.refused(step, response);
            }
            lastPoll = "";
            JsonNode job = api.json(step, response);
            String state = job.path("status").asText("");
            if (state.equals("succeeded")) {
                JsonNode diarization = job.path("output").path("diarization");
                if (!diarization.isArray()) {
                    throw api.unreadable(step, "the succeeded job has no output.diarization list");
                }
                return diarization;
            }
            if (!WAITING.contains(state)) {
                throw api.failed("diarization job " + jobId + " ended " + Problem.quoted(state)
                        + RemoteApi.errorOf(job).map(error -> ": " + error).orElse(""));
            }
            last = state;
        }
    }

    private HttpRequest post(String path, JsonNode body, long deadline) {
        return request(path, deadline).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
    }

    private HttpRequest.Builder request(String path, long deadline) {
        return HttpRequest.newBuilder(baseUrl.resolve(path)).timeout(RemoteApi.remaining(deadline))
                .header("Authorization", authorization).header("Accept", "application/json");
    }

    private static void sleep(long nanos) throws IOException {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the diarization job", e);
        }
    }
}
