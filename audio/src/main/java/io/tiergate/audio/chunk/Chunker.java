package io.tiergate.audio.chunk;

import io.tiergate.audio.SampleSource;
import io.tiergate.audio.vad.VadSettings;
import io.tiergate.audio.vad.VoiceActivityModel;

/**
 * Cuts recordings into chunks at pauses in the speech, for engines that take a bounded length at a time. Shared by all
 * threads: each recording is read through its own {@link ChunkReader}.
 */
public final class Chunker {

    private final VoiceActivityModel model;
    private final VadSettings vadSettings;
    private final ChunkSettings chunkSettings;

    public Chunker(VoiceActivityModel model, VadSettings vadSettings, ChunkSettings chunkSettings) {
        this.model = model;
        this.vadSettings = vadSettings;
        this.chunkSettings = chunkSettings;
    }

    /** Starts chunking a recording; the caller still owns and closes {@code source}. */
    public ChunkReader open(SampleSource source) {
        return new ChunkReader(source, model.openStream(), vadSettings, chunkSettings);
    }
}
