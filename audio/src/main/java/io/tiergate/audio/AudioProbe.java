package io.tiergate.audio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a recording's format and duration with ffprobe (a plain PCM WAV file with the JDK's WAV reader, which needs no
 * process), from the container's header where it has one, and refuses what no speech endpoint takes: not audio,
 * corrupt, empty, a format outside OpenAI's list, or too long.
 */
public final class AudioProbe {

    /** ffprobe's format names for the formats OpenAI's audio API accepts, and the name Tiergate reports for each. */
    private static final Map<String, String> ACCEPTED_FORMATS = Map.of(
            "wav", "wav",
            "flac", "flac",
            "mp3", "mp3",
            "mov,mp4,m4a,3gp,3g2,mj2", "mp4",
            "ogg", "ogg",
            "matroska,webm", "webm",
            "mpeg", "mpeg");
    public static final List<String> ACCEPTED_NAMES = List.of("flac", "mp3", "mp4", "mpeg", "mpga", "m4a", "ogg", "opus",
            "wav", "webm");

    /** ffprobe's warning that a duration was guessed from the first frames' bitrate: for a VBR MP3 it can be far off. */
    private static final String ESTIMATED_DURATION = "Estimating duration from bitrate";
    /** The lowest sample rate taken: below telephone audio's 8000 Hz, and far below any speech recording's. */
    static final int MIN_SAMPLE_RATE = 4000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AudioTools tools;

    public AudioProbe(AudioTools tools) {
        this.tools = tools;
    }

    /**
     * The recording's format and duration.
     *
     * @param maxSeconds the longest recording taken; longer ones are refused with 413
     * @throws io.tiergate.common.problem.ProblemException naming {@code file} when the recording is refused
     * @throws IOException                                 when ffprobe cannot be run at all (a fault of the service, not
     *                                                     of the file)
     */
    public AudioInfo probe(Path file, double maxSeconds) throws IOException {
        long bytes = Files.size(file);
        if (bytes == 0) {
            throw AudioProblems.unreadable("it is empty");
        }
        Optional<AudioInfo> plainWav = PlainWav.read(file, bytes);
        if (plainWav.isPresent()) {
            return within(plainWav.get(), maxSeconds);
        }
        ToolRun run = runProbe(file);
        if (run.exitCode() != 0) {
            throw AudioProblems.unreadable(reasonOf(run));
        }
        JsonNode answer = JSON.readTree(run.stdout());
        JsonNode stream = answer.path("streams").path(0);
        if (stream.isMissingNode()) {
            throw AudioProblems.unreadable("it has no audio stream");
        }
        String containerName = answer.path("format").path("format_name").asText("");
        String format = ACCEPTED_FORMATS.get(containerName);
        if (format == null) {
            throw AudioProblems.unsupported("is in a format not taken here (" + containerName + "); accepted: "
                    + String.join(", ", ACCEPTED_NAMES));
        }
        double seconds = durationOf(answer, stream, run, file, maxSeconds);
        return within(new AudioInfo(format, stream.path("codec_name").asText(""), seconds, bytes,
                stream.path("sample_rate").asInt(0), stream.path("channels").asInt(0)), maxSeconds);
    }

    private static AudioInfo within(AudioInfo info, double maxSeconds) {
        double seconds = info.durationSeconds();
        if (!(seconds > 0)) {
            throw AudioProblems.unreadable("it holds no audio");
        }
        // A few kilobytes at 1 Hz would otherwise count as hours, to decode, transcribe and charge to quota.
        if (info.sampleRate() > 0 && info.sampleRate() < MIN_SAMPLE_RATE) {
            throw AudioProblems.unreadable("its sample rate is " + info.sampleRate() + " Hz; speech needs at least "
                    + MIN_SAMPLE_RATE + " Hz");
        }
        if (seconds > maxSeconds) {
            throw AudioProblems.tooLong(String.format("lasts %.1f s, more than the %.0f s taken here", seconds,
                    maxSeconds));
        }
        return info;
    }

    private ToolRun runProbe(Path file) throws IOException {
        List<String> command = new ArrayList<>(List.of(tools.ffprobe().toString(), "-v", "level+warning"));
        command.addAll(FfmpegInput.args(file));
        command.addAll(List.of("-print_format", "json", "-show_format", "-show_streams", "-select_streams", "a:0"));
        return ToolRun.of(command, tools.probeTimeout());
    }

    /**
     * The audio stream's duration, else the container's (which also covers a longer video stream). A container that
     * records neither (a live WebM) or whose duration is a guess is decoded to count it, no further than the longest
     * recording taken.
     */
    private double durationOf(JsonNode answer, JsonNode stream, ToolRun run, Path file, double maxSeconds)
            throws IOException {
        if (!run.stderr().contains(ESTIMATED_DURATION)) {
            for (JsonNode value : List.of(stream.path("duration"), answer.path("format").path("duration"))) {
                if (value.isTextual() && !value.asText().equals("N/A")) {
                    return value.asDouble();
                }
            }
        }
        double seconds = PcmDecoder.decodedSeconds(tools, file, maxSeconds);
        if (seconds > maxSeconds) {
            throw AudioProblems.tooLong(String.format("lasts more than the %.0f s taken here", maxSeconds));
        }
        return seconds;
    }

    private static String reasonOf(ToolRun run) {
        return FfmpegInput.refusedDemuxer(run.stderr())
                .map(demuxer -> "it is not audio in a format read here (" + demuxer + ")")
                .orElseGet(() -> {
                    String reason = run.reason();
                    return reason.isEmpty() ? "ffprobe could not read it" : reason;
                });
    }
}
