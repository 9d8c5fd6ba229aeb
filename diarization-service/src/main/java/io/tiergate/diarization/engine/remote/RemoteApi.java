package io.tiergate.diarization.engine.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tiergate.common.diarization.OverlappedSpeech;
import io.tiergate.common.diarization.SpeakerTurn;
import io.tiergate.common.problem.Problem;
import io.tiergate.common.problem.ProblemException;
import io.tiergate.diarization.engine.DiarizedRecording;
import io.tiergate.diarization.engine.SpeakerCountHint;
import io.tiergate.diarization.engine.TimeSpan;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Calls to a remote diarization API within one recording's deadline, and its failures as the problems the pod answers:
 * 502 {@code remote-failed} when the API refuses or fails (a refused key included), 503 {@code remote-busy} when it is
 * rate-limiting or not yet up, 504 {@code remote-timeout} when the deadline passes. The router takes each as "try the
 * next candidate". Messages name the API and never carry its key.
 */
final class RemoteApi {

    static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final Duration timeout;
    private final HttpClient http;

    /**
     * @param name    the API as messages name it, e.g. {@code pyannoteAI}
     * @param timeout the longest one recording may take, for messages
     */
    RemoteApi(String name, Duration connectTimeout, Duration timeout) {
        this.name = name;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    String name() {
        return name;
    }

    /** Sends a call that must succeed; its JSON answer. */
    JsonNode call(String step, HttpRequest request, long deadline) throws IOException {
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
    HttpResponse<String> send(String step, HttpRequest request, long deadline) throws IOException {
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
            boolean unreachable = e.getCause() instanceof HttpConnectTimeoutException;
            if (!unreachable && (e.getCause() instanceof HttpTimeoutException || deadline - System.nanoTime() <= 0)) {
                throw timedOut(step + " had no whole answer in time");
            }
            throw new ProblemException(Problem.of(502, "remote-failed", "Remote diarization failed",
                    name + " could not be reached (" + step + "): " + e.getCause()));
        }
    }

    JsonNode json(String step, HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw unreadable(step, "its answer is not JSON");
        }
    }

    /** A call answered with an error status, as the problem the pod answers. */
    ProblemException refused(String step, HttpResponse<String> response) {
        int status = response.statusCode();
        String why = switch (status) {
            case 401, 403 -> "the API key (tiergate.diarization.remote.api-key) was refused";
            case 402 -> "the account has no credit or subscription";
            case 429 -> "it is rate-limiting this key";
            case 503 -> "it is not available (starting, scaled to zero or overloaded)";
            default -> status >= 500 ? "it failed" : "it refused the request";
        };
        String message;
        try {
            message = errorOf(JSON.readTree(response.body())).map(error -> " (" + error + ")").orElse("");
        } catch (IOException e) {
            message = "";
        }
        String detail = name + " answered " + status + " to " + step + ": " + why + message;
        return status == 429 || status == 503
                ? new ProblemException(Problem.of(503, "remote-busy", "Remote diarization busy", detail))
                : new ProblemException(Problem.of(502, "remote-failed", "Remote diarization failed", detail));
    }

    /** The error message an answer carries, quoted and cut short. */
    static Optional<String> errorOf(JsonNode answer) {
        for (String field : List.of("message", "error", "detail")) {
            JsonNode value = answer.path(field);
            if (value.isTextual() && !value.asText().isBlank()) {
                return Optional.of(Problem.quoted(value.asText()));
            }
        }
        return Optional.empty();
    }

    ProblemException unreadable(String step, String why) {
        return new ProblemException(Problem.of(502, "remote-failed", "Remote diarization failed",
                name + "'s answer to " + step + " cannot be used: " + why));
    }

    ProblemException failed(String what) {
        return new ProblemException(Problem.of(502, "remote-failed", "Remote diarization failed", name + "'s " + what));
    }

    ProblemException timedOut(String what) {
        return new ProblemException(Problem.of(504, "remote-timeout", "Remote diarization timed out",
                name + " did not diarize the recording within tiergate.diarization.remote.timeout ("
                        + timeout.toSeconds() + " s): " + what));
    }

    /**
     * Puts the caller's speaker count into a request body under the API's own names for the exact count and the
     * bounds; nothing when the caller gave none.
     */
    static ObjectNode speakerCounts(ObjectNode body, SpeakerCountHint hint, String exact, String min, String max) {
        if (hint.exact() != null) {
            body.put(exact, hint.exact());
        }
        if (hint.min() != null) {
            body.put(min, hint.min());
        }
        if (hint.max() != null) {
            body.put(max, hint.max());
        }
        return body;
    }

    static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
    }

    /**
     * An answer's turns within the recording, in order of start, with its overlap where two turns cross. Each turn
     * names its speaker in {@code speaker} (or {@code label}) and its times in seconds in {@code start} and {@code end}
     * (or {@code stop}), as numbers or as numeric strings, as Python handlers often format them.
     */
    DiarizedRecording recording(String step, JsonNode turnList, double duration) {
        List<SpeakerTurn> turns = new ArrayList<>();
        for (JsonNode turn : turnList) {
            String speaker = either(turn, "speaker", "label").asText("");
            double start = Math.max(0, seconds(turn.path("start")));
            double end = Math.min(duration, seconds(either(turn, "end", "stop")));
            if (speaker.isEmpty() || Double.isNaN(start) || Double.isNaN(end)) {
                throw unreadable(step, "a turn lacks speaker, start or end");
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

    private static JsonNode either(JsonNode turn, String field, String alternative) {
        JsonNode value = turn.path(field);
        return value.isMissingNode() || value.isNull() ? turn.path(alternative) : value;
    }

    private static double seconds(JsonNode value) {
        if (value.isNumber()) {
            return value.asDouble();
        }
        if (value.isTextual()) {
            try {
                double parsed = Double.parseDouble(value.asText().strip());
                return Double.isFinite(parsed) ? parsed : Double.NaN;
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }
}
