package io.tiergate.diarization.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.tiergate.audio.AudioToolsConfig;
import jakarta.validation.constraints.Positive;
import java.nio.file.Path;

/** The diarization pod's settings: {@code tiergate.diarization.*}. */
@ConfigMapping(prefix = "tiergate.diarization")
public interface DiarizationConfig {

    /** Which engine diarizes: {@code embedded}, the pure-Java engine that needs nothing downloaded. */
    @WithDefault("embedded")
    EngineKind engine();

    /** The longest recording taken, in seconds (8 hours, as the router); longer ones get 413 naming {@code file}. */
    @WithDefault("28800")
    @Positive
    int maxAudioSeconds();

    /** The Silero VAD model (an ONNX file) that finds where anyone speaks. */
    @WithDefault("${user.home}/.cache/tiergate/models/silero_vad.onnx")
    Path vadModel();

    /** The ffmpeg programs that read and decode uploads. */
    AudioToolsConfig ffmpeg();

    /** The engines this pod can run. */
    enum EngineKind {
        EMBEDDED
    }
}
