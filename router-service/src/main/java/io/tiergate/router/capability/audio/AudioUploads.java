package io.tiergate.router.capability.audio;

import com.fasterxml.jackson.databind.JsonNode;
import io.tiergate.audio.form.AudioForm;
import io.tiergate.quota.UsageAmount;
import io.tiergate.router.config.ProvidersConfig;
import io.tiergate.router.dispatch.RequestBody;
import io.tiergate.router.providers.Provider;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * What every protocol needs of a recording: its media type and name, the form to pass on, providers' size limits and
 * the audio seconds an answer reports.
 */
public final class AudioUploads {

    /** The media type of each format {@link io.tiergate.audio.AudioProbe} recognises. */
    private static final Map<String, String> MEDIA_TYPES = Map.of(
            "wav", "audio/wav",
            "flac", "audio/flac",
            "mp3", "audio/mpeg",
            "mp4", "audio/mp4",
            "ogg", "audio/ogg",
            "webm", "audio/webm",
            "mpeg", "audio/mpeg");
    private static final String UNTYPED = "application/octet-stream";
    private static final String CRLF = "\r\n";

    private AudioUploads() {}

    /** The recording's media type: the caller's, unless it gave none or only {@code application/octet-stream}. */
    public static String mediaType(AudioRequest<?> request) {
        String sent = request.form().file().contentType();
        if (sent != null && !sent.isBlank() && !sent.toLowerCase(Locale.ROOT).startsWith(UNTYPED)) {
            return sent;
        }
        return MEDIA_TYPES.getOrDefault(request.audio().format(), UNTYPED);
    }

    /** The caller's file name, or one with the recording's format as its extension: OpenAI reads the format from it. */
    public static String filename(AudioRequest<?> request) {
        String sent = request.form().file().filename();
        return sent == null || sent.isBlank() ? "audio." + request.audio().format() : sent;
    }

    /**
     * The caller's form with {@code model} in place of the caller's (added where it sent none), every other part as
     * sent and in its place, and the uploads' bytes as they arrived, read from their files for every attempt.
     */
    public static RequestBody.Pieces form(AudioRequest<?> request, Optional<String> model) {
        AudioForm form = request.form();
        return multipart(request, model.map(form::withModel).orElse(form).parts());
    }

    /**
     * {@code parts} as a {@code multipart/form-data} body: text fields as they are, uploads read from their files for
     * every attempt; the recording named and typed as {@link #filename} and {@link #mediaType} say, other uploads as
     * the caller sent them.
     */
    public static RequestBody.Pieces multipart(AudioRequest<?> request, List<AudioForm.Part> parts) {
        String boundary = "tiergate-" + UUID.randomUUID().toString().replace("-", "");
        List<RequestBody.Piece> pieces = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (AudioForm.Part part : parts) {
            text.append("--").append(boundary).append(CRLF)
                    .append("Content-Disposition: form-data; name=\"").append(quoted(part.name())).append('"');
            if (part instanceof AudioForm.Field field) {
                text.append(CRLF).append(CRLF).append(field.value()).append(CRLF);
            } else if (part instanceof AudioForm.Upload upload) {
                boolean recording = upload.name().equals(AudioForm.FILE);
                String filename = recording ? filename(request) : upload.filename() == null ? "" : upload.filename();
                String type = recording ? mediaType(request) : upload.contentType() == null ? UNTYPED : upload.contentType();
                text.append("; filename=\"").append(quoted(filename)).append('"').append(CRLF)
                        .append("Content-Type: ").append(type).append(CRLF).append(CRLF);
                pieces.add(new RequestBody.Piece.InMemory(Buffer.buffer(text.toString(), StandardCharsets.UTF_8.name())));
                pieces.add(new RequestBody.Piece.OnDisk(upload.path(), upload.size()));
                text = new StringBuilder(CRLF);
            }
        }
        text.append("--").append(boundary).append("--").append(CRLF);
        pieces.add(new RequestBody.Piece.InMemory(Buffer.buffer(text.toString(), StandardCharsets.UTF_8.name())));
        return new RequestBody.Pieces(pieces, "multipart/form-data; boundary=" + boundary);
    }

    /** Why the recording is too large or too long for {@code provider}, when it is. */
    public static Optional<String> overLimits(AudioRequest<?> request, Provider provider) {
        ProvidersConfig.ProviderConfig config = provider.config();
        long bytes = request.audio().bytes();
        if (config.maxAudioBytes().isPresent() && bytes > config.maxAudioBytes().get()) {
            return Optional.of("file too large: " + bytes + " bytes, over its max-audio-bytes of " + config.maxAudioBytes().get());
        }
        double seconds = request.audio().durationSeconds();
        if (config.maxAudioSeconds().isPresent() && seconds > config.maxAudioSeconds().get()) {
            return Optional.of(String.format(Locale.ROOT, "recording too long: %.1f s, over its max-audio-seconds of %d", seconds,
                    config.maxAudioSeconds().get()));
        }
        return Optional.empty();
    }

    /**
     * The audio seconds an answer says were counted: {@code duration} (a {@code verbose_json} or {@code diarized_json}
     * answer, a diarization pod's JSON), or the {@code usage} OpenAI reports in seconds; other answers do not say.
     */
    public static Optional<UsageAmount> reportedSeconds(JsonNode answer) {
        JsonNode seconds = answer.path("duration");
        if (!seconds.isNumber() && "duration".equals(answer.path("usage").path("type").asText())) {
            seconds = answer.path("usage").path("seconds");
        }
        return seconds.isNumber() && seconds.asDouble() >= 0
                ? Optional.of(UsageAmount.audioSeconds((long) Math.ceil(seconds.asDouble())))
                : Optional.empty();
    }

    /** A name or file name inside a quoted header parameter: quotes and backslashes escaped, line breaks dropped. */
    private static String quoted(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\r", "").replace("\n", "");
    }
}
