package io.tiergate.audio;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How ffmpeg and ffprobe are pointed at an uploaded file. ffmpeg detects a file's format from its content, and some of
 * its demuxers (HLS and DASH playlists, concat lists, image sequences) open further files or URLs named inside the
 * upload: a playlist named {@code talk.wav} would make the probe read any local file or fetch any URL it lists. So only
 * audio demuxers are allowed, and only local files.
 */
final class FfmpegInput {

    /** The demuxers of the formats taken, and of audio formats recognised only to be refused as unsupported (415). */
    static final List<String> DEMUXERS = List.of(
            "wav", "flac", "mp3", "mov", "ogg", "matroska", "mpeg",
            "aiff", "asf", "amr", "amrnb", "amrwb", "caf", "au", "w64", "wv", "ape", "tta", "tak", "shn", "aac", "ac3",
            "eac3", "dts", "mlp", "truehd", "mpc", "mpc8", "dsf", "voc", "gsm", "xwma", "avi", "flv", "mpegts", "rm");

    private static final Pattern REFUSED_DEMUXER = Pattern.compile("\\[([\\w,]+) @ [^]]*] (?:\\[error] )?Format not on whitelist");

    private FfmpegInput() {
    }

    /** The options that open {@code file} as ffmpeg's or ffprobe's input. */
    static List<String> args(Path file) {
        // An absolute path never starts with '-' (an option) or with 'name:' (a protocol).
        return List.of("-format_whitelist", String.join(",", DEMUXERS), "-protocol_whitelist", "file",
                "-i", file.toAbsolutePath().toString());
    }

    /** The format ffmpeg recognised but was not allowed to open, when that is why it failed. */
    static Optional<String> refusedDemuxer(String stderr) {
        Matcher matcher = REFUSED_DEMUXER.matcher(stderr);
        return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }
}
