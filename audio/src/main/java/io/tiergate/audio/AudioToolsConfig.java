package io.tiergate.audio;

import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The ffmpeg settings every speech pod reads, under its own prefix ({@code tiergate.transcription.ffmpeg.*},
 * {@code tiergate.diarization.ffmpeg.*}).
 */
public interface AudioToolsConfig {

    @WithDefault("ffmpeg")
    Path ffmpeg();

    @WithDefault("ffprobe")
    Path ffprobe();

    /** How long reading an upload's format and duration may take. */
    @WithDefault("20s")
    Duration probeTimeout();

    default AudioTools tools() {
        return new AudioTools(ffmpeg(), ffprobe(), probeTimeout());
    }
}
