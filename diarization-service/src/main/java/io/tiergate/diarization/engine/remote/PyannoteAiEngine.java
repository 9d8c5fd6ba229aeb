package io.tiergate.diarization.engine.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiergate.audio.Pcm16;
import io.tiergate.audio.PcmDecoder;
import io.tiergate.audio.SampleSource;
import io.tiergate.common.diarization.OverlappedSpeech;
import io.tiergate.common.diarization.SpeakerTurn;
import io.tiergate.common.problem.Problem;
import io.tiergate.common.problem.ProblemException;
import io.tiergate.diarization.config.DiarizationConfig;
import io.tiergate.diarization.engine.DiarizationEngine;
import io.tiergate.diarization.engine.DiarizedRecording;
import io.tiergate.diarization.engine.SamplesInMemory;
import io.tiergate.diarization.engine.SpeakerCountHint;
import io.tiergate.diarization.engine.TimeSpan;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Fronts pyannoteAI's diarization job API (or a server beside the pod that speaks it): the recording, as the pod decoded
 * it, is written to a 16 kHz 16-bit WAV file, put in the API's temporary media storage ({@code POST /v1/media/input}
 * with a {@code media://} key answers a pre-signed URL the file is PUT to), a job is created for it
 * ({@code POST /v1/diarize}), and the job is polled ({@code GET /v1/jobs/{jobId}}) until it has succeeded, with
 * {@code output.diarization} its turns, or failed. Everything, upload included, ends within the configured timeout.
 *
 * <p>Failures are answered as problems the router retries elsewhere: 502 when the API refuses or fails (a refused key
 * included), 503 when it is rate-limiting, 504 when the job does not end in time. The key goes only to the API, never
 * to the pre-signed URL nor into a message or a log.
 */
public final class PyannoteAiEngine implements DiarizationEngine {

    public static final String NAME = "remote";

    private static final Logger LOG = Logger.getLogger(PyannoteAiEngine.class);
    private static final int WAV_HEADER_BYTES = 44;
    private static final Set<String> WAITING = Set.of("created", "pending", "running");
    /** Job ids go into a path: anything but these characters is not taken from the API. */
    private static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9._-]{1,200}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DiarizationConfig.Remote config;
    private final String authorization;
    private final URI baseUrl;
    private final HttpClient http;

    /** @param config with an API key (the pipeline does not build this engine without one) */
    public PyannoteAiEngine(DiarizationConfig.Remote config) {
        this.config = config;
        this.authorization = "Bearer " + config.apiKey().orElseThrow();
        String base = config.baseUrl().toString();
        this.baseUrl = URI.create(base.endsWith("/") ? base : base + "/");
        this.http = HttpClient.newBuilder().connectTimeout(config.connectTimeout()).version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    @Override
    public String name() {
        return NAME;
    }

    /** pyannoteAI's diarization keeps overlapping turns (its "exclusive" variant is not asked for). */
    @Override
    public boolean reportsOverlap() {
        return true;
    }

    /** The API and model, for readiness. */
    public String describe() {
        return "pyannoteAI's job API at " + config.baseUrl() + " (model "
                + config.model().orElse("the API's default") + "), polled every " + config.pollInterval().toMillis()
                + " ms for at most " + config.timeout().toSeconds() + " s";
    }

    @Override
    public DiarizedRecording diarize(float[] samples, SpeakerCountHint hint) {
        try {
            return diarize(new SamplesInMemory(samples), hint);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public DiarizedRecording diarize(SampleSource source, SpeakerCountHint hint) throws IOException {
        long deadline = System.nanoTime() + config.timeout().toNanos();
        Path wav = Files.createTempFile("tiergate-diarization-", ".wav");
        try {
            long samples = writeWav(source, wav);
            double duration = samples / (double) PcmDecoder.SAMPLE_RATE;
            if (samples == 0) {
                return new DiarizedRecording(0, List.of(), List.of());
            }
            String media = "media://tiergate/" + UUID.randomUUID() + ".wav";
            upload(media, wav, deadline);
            String jobId = submit(media, hint, deadline);
            JsonNode diarization = await(jobId, deadline);
            return recording(diarization, duration);
        } finally {
            Files.deleteIfExists(wav);
        }
    }

    /** Creates the media location and PUTs the file to the pre-signed URL it answers (without the API key). */
    private void upload(String media, Path wav, long deadline) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("url", media);
        JsonNode answer = call("POST /v1/media/input", post("v1/media/input", body, deadline), deadline);
        String presigned = answer.path("url").asText("");
        URI target;
        try {
            target = URI.create(presigned);
        } catch (IllegalArgumentException e) {
            throw unreadable("POST /v1/media/input", "its upload url is not a URL");
        }
        if (!"https".equalsIgnoreCase(target.getScheme()) && !"http".equalsIgnoreCase(target.getScheme())) {
            throw unreadable("POST /v1/media/input", "it gave no http(s) upload url");
        }
        HttpRequest put = HttpRequest.newBuilder(target).timeout(remaining(deadline))
                .PUT(HttpRequest.BodyPublishers.ofFile(wav)).build();
        HttpResponse<String> response = send("PUT to the upload url", put, deadline);
        if (response.statusCode() / 100 != 2) {
            throw refused("PUT to the upload url", response);
        }
    }

    /** Creates the diarization job; its id. */
    private String submit(String media, SpeakerCountHint hint, long deadline) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("url", media);
        if (hint.exact() != null) {
            body.put("numSpeakers", hint.exact());
        }
        if (hint.min() != null) {
            body.put("minSpeakers", hint.min());
        }
        if (hint.max() != null) {
            body.put("maxSpeakers", hint.max());
        }
        config.model().ifPresent(model -> body.put("model", model));
        JsonNode answer = call("POST /v1/diarize", post("v1/diarize", body, deadline), deadline);
        String jobId = answer.path("jobId").asText("");
        if (!JOB_ID.matcher(jobId).matches()) {
            throw unreadable("POST /v1/diarize", "it gave no usable jobId");
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
                throw timedOut("job " + jobId + " was still " + last + lastPoll);
            }
            sleep(wait);
            HttpRequest get = request("v1/jobs/" + jobId, deadline).GET().build();
            HttpResponse<String> response;
            try {
                response = send(step, get, deadline);
            } catch (ProblemException e) {
                // A poll cut short by the deadline: what the caller needs is how far the job had got.
                throw e.problem().status() == 504 ? timedOut("job " + jobId + " was still " + last + lastPoll) : e;
            }
            int status = response.statusCode();
            if (status == 429 || status / 100 == 5) {
                lastPoll = " (the last poll was answered " + status + ")";
                continue;
            }
            if (status / 100 != 2) {
                throw refused(step, response);
            }
            lastPoll = "";
            JsonNode job = json(step, response);
            String state = job.path("status").asText("");
            if (state.equals("succeeded")) {
                JsonNode diarization = job.path("output").path("diarization");
                if (!diarization.isArray()) {
                    throw unreadable(step, "the succeeded job has no output.diarization list");
                }
                return diarization;
            }
            if (!WAITING.contains(state)) {
                throw new ProblemException(Problem.of(502, "remote-failed", "Remote diarization failed",
                        "pyannoteAI's diarization job " + jobId + " ended " + Problem.quoted(state)
                                + errorOf(job).map(error -> ": " + error).orElse("")));
            }
            last = state;
        }
    }

    /** The job's turns within the recording, in order of start; its overlap where two turns cross. */
    private static DiarizedRecording recording(JsonNode diarization, double duration) {
        List<SpeakerTurn> turns = new ArrayList<>();
        for (JsonNode turn : diarization) {
            String speaker = turn.path("speaker").asText("");
            double start = Math.max(0, turn.path("start").asDouble(Double.NaN));
            double end = Math.min(duration, turn.path("end").asDouble(Double.NaN));
            if (speaker.isEmpty() || Double.isNaN(start) || Double.isNaN(end)) {
                throw unreadable("GET /v1/jobs", "a turn of its output.diarization lacks speaker, start or end");
            }
            if (end > start) {
                turns.add(new SpeakerTurn(speaker, start, end));
            }
        }
        turns.sort(Comparator.comparingDouble(SpeakerTurn::start).thenComparingDouble(SpeakerTurn::end));
        List<TimeSpan> overlap = OverlappedSpeech.in(turns).stream()
                .map(span -> new TimeSpan(span.start(), span.end())).toList();
        return new DiarizedRecording(duration, turns, overlap);
    }

    private HttpRequest post(String path, JsonNode body, long deadline) {
        return request(path, deadline).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
    }

    private HttpRequest.Builder request(String path, long deadline) {
        return HttpRequest.newBuilder(baseUrl.resolve(path)).timeout(remaining(deadline))
                .header("Authorization", authorization).header("Accept", "application/json");
    }

    /** Sends an API call that must succeed; its JSON answer. */
    private JsonNode call(String step, HttpRequest request, long deadline) throws IOException {
        HttpResponse<String> response = send(step, request, deadline);
        if (response.statusCode() / 100 != 2) {
            throw refused(step, response);
        }
        return json(step, response);
    }

    /**
     * Sends one call and reads its whole answer within the deadline. The client's own request timeout ends only the
     * wait for the answer's headers, so an API trickling its body would otherwise hold the pod past its deadline; a
     * call broken off at the deadline is a timeout, whatever the connection reported.
     */
    private HttpResponse<String> send(String step, HttpRequest request, long deadline) throws IOException {
        if (deadline - System.nanoTime() <= 0) {
            throw timedOut(step + " had no time left");
        }
        CompletableFuture<HttpResponse<String>> exchange = http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        try {
            return exchange.get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw timedOut(step + " had no whole answer in time");
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted during " + step, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof HttpTimeoutException || deadline - System.nanoTime() <= 0) {
                throw timedOut(step + " had no whole answer in time");
            }
            throw new ProblemException(Problem.of(502, "remote-failed", "Remote diarization failed",
                    "pyannoteAI could not be reached (" + step + "): " + e.getCause()));
        }
    }

    private static JsonNode json(String step, HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw unreadable(step, "its answer is not JSON");
        }
    }

    /** An API call answered with an error status, as the problem the pod answers. */
    private ProblemException refused(String step, HttpResponse<String> response) {
        int status = response.statusCode();
        String why = switch (status) {
            case 401, 403 -> "the API key (tiergate.diarization.remote.api-key) was refused";
            case 402 -> "the account has no credit or subscription";
            case 429 -> "it is rate-limiting this key";
            default -> status >= 500 ? "it failed" : "it refused the request";
        };
        String message;
        try {
            message = errorOf(JSON.readTree(response.body())).map(error -> " (" + error + ")").orElse("");
        } catch (IOException e) {
            message = "";
        }
        String detail = "pyannoteAI answered " + status + " to " + step + ": " + why + message;
        return status == 429
                ? new ProblemException(Problem.of(503, "remote-busy", "Remote diarization busy", detail))
                : new ProblemException(Problem.of(502, "remote-failed", "Remote diarization failed", detail));
    }

    /** The error message an answer carries, quoted and cut short. */
    private static Optional<String> errorOf(JsonNode answer) {
        for (String field : List.of("message", "error", "detail")) {
            JsonNode value = answer.path(field);
            if (value.isTextual() && !value.asText().isBlank()) {
                return Optional.of(Problem.quoted(value.asText()));
            }
        }
        return Optional.empty();
    }

    private static ProblemException unreadable(String step, String why) {
        return new ProblemException(Problem.of(502, "remote-failed", "Remote diarization failed",
                "pyannoteAI's answer to " + step + " cannot be used: " + why));
    }

    private ProblemException timedOut(String what) {
        return new ProblemException(Problem.of(504, "remote-timeout", "Remote diarization timed out",
                "pyannoteAI did not diarize the recording within tiergate.diarization.remote.timeout ("
                        + config.timeout().toSeconds() + " s): " + what));
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
    }

    private static void sleep(long nanos) throws IOException {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the diarization job", e);
        }
    }

    /**
     * Writes the source as a 16 kHz mono 16-bit WAV file as it is read, so that a recording of any length takes a
     * buffer of memory; the header's sizes are filled in at the end.
     *
     * @return how many samples were written
     */
    static long writeWav(SampleSource source, Path file) throws IOException {
        float[] buffer = new float[1 << 15];
        long samples = 0;
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(new byte[WAV_HEADER_BYTES]);
            for (int count; (count = source.readFully(buffer, 0, buffer.length)) > 0; samples += count) {
                out.write(Pcm16.encode(buffer, 0, count));
                if (count < buffer.length) {
                    samples += count;
                    break;
                }
            }
        }
        long dataBytes = samples * 2;
        if (dataBytes > 0xFFFF_FFFFL - 36) {
            throw new IOException("the recording is too long for one WAV file");
        }
        ByteBuffer header = ByteBuffer.allocate(WAV_HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        header.put(new byte[] {'R', 'I', 'F', 'F'}).putInt((int) (36 + dataBytes)).put(new byte[] {'W', 'A', 'V', 'E'});
        header.put(new byte[] {'f', 'm', 't', ' '}).putInt(16).putShort((short) 1).putShort((short) 1)
                .putInt(PcmDecoder.SAMPLE_RATE).putInt(PcmDecoder.SAMPLE_RATE * 2).putShort((short) 2)
                .putShort((short) 16);
        header.put(new byte[] {'d', 'a', 't', 'a'}).putInt((int) dataBytes).flip();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(header, 0);
        }
        return samples;
    }
}
