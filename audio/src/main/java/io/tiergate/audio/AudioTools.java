package io.tiergate.audio;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The ffmpeg programs a service runs, and how long it lets them take.
 *
 * @param ffmpeg       the ffmpeg executable, a name on the PATH or a path
 * @param ffprobe      the ffprobe executable
 * @param probeTimeout how long reading a file's format and duration may take before the file is refused
 */
public record AudioTools(Path ffmpeg, Path ffprobe, Duration probeTimeout) {

    /** ffmpeg and ffprobe from the PATH, as the OS packages install them. */
    public static AudioTools onPath() {
        return new AudioTools(Path.of("ffmpeg"), Path.of("ffprobe"), Duration.ofSeconds(20));
    }
}
