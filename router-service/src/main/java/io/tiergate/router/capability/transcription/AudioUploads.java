package io.tiergate.router.capability.transcription;

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

/** What every protocol needs of a recording: its media type and name, the form to pass on, and providers' size limits. */
final class AudioUploads {

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
    static String mediaType(AudioRequest request) {
        String sent = request.form().file().contentType();
        if (sent != null && !sent.isBlank() && !sent.toLowerCase(Locale.ROOT).startsWith(UNTYPED)) {
            return sent;
        }
        return MEDIA_TYPES.getOrDefault(request.audio().format(), UNTYPED);
    }

    /** The caller's file name, or one with the recording's format as its extension: OpenAI reads the format from it. */
    static String filename(AudioRequest request) {
        String sent = request.form().file().filename();
        return sent == null || sent.isBlank() ? "audio." + request.audio().format() : sent;
    }

    /**
     * The caller's form with {@code model} in place of the caller's (added where it sent none), every other field as
     * sent and in its place, and the recording's bytes as they arrived, read from its file for every attempt.
     */
    static RequestBody.Pieces form(AudioRequest request, Optional<String> model) {
        String boundary = "tiergate-" + UUID.randomUUID().toString().replace("-", "");
        AudioForm form = request.form();
        List<AudioForm.Field> fields = new ArrayList<>(form.fields());
        int filePosition = form.filePosition();
        if (model.isPresent()) {
            int at = indexOf(fields, "model");
            if (at < 0) {
                fields.add(0, new AudioForm.Field("model", model.get()));
                filePosition++;
            } else {
                fields.set(at, new AudioForm.Field("model", model.get()));
            }
        }
        StringBuilder before = new StringBuilder();
        StringBuilder after = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            AudioForm.Field field = fields.get(i);
            (i < filePosition ? before : after).append("--").append(boundary).append(CRLF)
                    .append("Content-Disposition: form-data; name=\"").append(quoted(field.name())).append('"').append(CRLF)
                    .append(CRLF).append(field.value()).append(CRLF);
        }
        before.append("--").append(boundary).append(CRLF)
                .append("Content-Disposition: form-data; name=\"").append(MultipartForms.FILE).append("\"; filename=\"")
                .append(quoted(filename(request))).append('"').append(CRLF)
                .append("Content-Type: ").append(mediaType(request)).append(CRLF).append(CRLF);
        after.insert(0, CRLF).append("--").append(boundary).append("--").append(CRLF);
        return new RequestBody.Pieces(List.of(
                new RequestBody.Piece.InMemory(Buffer.buffer(before.toString(), StandardCharsets.UTF_8.name())),
                new RequestBody.Piece.OnDisk(form.file().path(), form.file().size()),
                new RequestBody.Piece.InMemory(Buffer.buffer(after.toString(), StandardCharsets.UTF_8.name()))),
                "multipart/form-data; boundary=" + boundary);
    }

    /** Why the recording is too large or too long for {@code provider}, when it is. */
    static Optional<String> overLimits(AudioRequest request, Provider provider) {
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

    private static int indexOf(List<AudioForm.Field> fields, String name) {
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** A name or file name inside a quoted header parameter: quotes and backslashes escaped, line breaks dropped. */
    private static String quoted(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\r", "").replace("\n", "");
    }
}
