package io.tiergate.transcription.engine.pocketsphinx;

import io.tiergate.audio.chunk.ChunkSettings;
import io.tiergate.transcription.config.TranscriptionConfig;
import io.tiergate.transcription.engine.EngineOutput;
import io.tiergate.transcription.engine.EngineRequest;
import io.tiergate.transcription.engine.EngineStatus;
import io.tiergate.transcription.engine.TranscriptionEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * CMU PocketSphinx (the C engine) in the JVM with the en-us model of the OS packages: English only, word times from
 * the decoder, no translation. Each slot holds a decoder that loads the model once, so a chunk costs only its decoding.
 */
public final class PocketsphinxEngine implements TranscriptionEngine {

    private static final Logger LOG = Logger.getLogger(PocketsphinxEngine.class);
    private static final long CLOSE_WAIT_SECONDS = 60;

    /** The model files the decoder opens; a missing one would stop it deep in its C code instead of saying which. */
    private static final List<String> MODEL_FILES = List.of("en-us/mdef", "en-us/means", "en-us/variances",
            "en-us/transition_matrices", "en-us/feat.params", "en-us/noisedict", "en-us.lm.bin", "cmudict-en-us.dict");

    private static final ChunkSettings CHUNKING = new ChunkSettings(Duration.ofSeconds(55), Duration.ofSeconds(60),
            ChunkSettings.DEFAULTS.maxSilence());

    private final int slots;
    private final List<PocketsphinxDecoder> decoders = new ArrayList<>();
    private final BlockingQueue<PocketsphinxDecoder> idle = new LinkedBlockingQueue<>();
    private final EngineStatus status;

    public PocketsphinxEngine(TranscriptionConfig.Pocketsphinx config, int slots) {
        this.slots = Math.max(1, slots);
        this.status = load(config);
    }

    @Override
    public String name() {
        return "pocketsphinx";
    }

    @Override
    public Set<String> languages() {
        return Set.of("en");
    }

    @Override
    public boolean wordTimings() {
        return true;
    }

    @Override
    public boolean translates() {
        return false;
    }

    @Override
    public int slots() {
        return slots;
    }

    /**
     * Longer than whisper's 30 s windows: with several slots each decoder hears only some of a recording's chunks, and
     * the decoder hears better once its cepstral mean has adapted to the recording (on the 10-minute session, when every
     * chunk still started from the model's mean, WER 0.7119 with 55–60 s chunks and 0.7301 with 25–30 s).
     */
    @Override
    public ChunkSettings chunking() {
        return CHUNKING;
    }

    @Override
    public EngineStatus status() {
        return status;
    }

    @Override
    public EngineOutput transcribe(float[] samples, EngineRequest request) throws IOException {
        if (!status.ready()) {
            throw new IOException("pocketsphinx is not ready: " + status.detail());
        }
        PocketsphinxDecoder decoder;
        try {
            decoder = idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a pocketsphinx decoder", e);
        }
        try {
            return new EngineOutput("english", decoder.decode(samples, request));
        } finally {
            idle.add(decoder);
        }
    }

    /**
     * Frees the decoders once the chunks under way are done. Should they outlast {@value CLOSE_WAIT_SECONDS} s, the
     * native memory is left to the process's exit: freeing a decoder in use would crash the JVM.
     */
    @Override
    public void close() {
        List<PocketsphinxDecoder> returned = new ArrayList<>();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CLOSE_WAIT_SECONDS);
            while (returned.size() < decoders.size()) {
                PocketsphinxDecoder decoder = idle.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (decoder == null) {
                    LOG.warnf("pocketsphinx was still transcribing %d s after close; its native memory is left to the exit",
                            CLOSE_WAIT_SECONDS);
                    return;
                }
                returned.add(decoder);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        returned.forEach(PocketsphinxDecoder::close);
        decoders.clear();
    }

    private EngineStatus load(TranscriptionConfig.Pocketsphinx config) {
        Path models = config.modelDir();
        for (String file : MODEL_FILES) {
            if (!Files.isReadable(models.resolve(file))) {
                return EngineStatus.broken("pocketsphinx model file " + models.resolve(file)
                        + " is missing (install pocketsphinx-en-us)");
            }
        }
        PocketsphinxNatives.Libraries natives;
        try {
            natives = PocketsphinxNatives.load(config.libraryDir());
        } catch (UnsatisfiedLinkError e) {
            return EngineStatus.broken("pocketsphinx's libraries cannot load"
                    + config.libraryDir().map(dir -> " from " + dir).orElse("") + " (install pocketsphinx): "
                    + e.getMessage());
        }
        try {
            for (int i = 0; i < slots; i++) {
                decoders.add(new PocketsphinxDecoder(natives, models));
            }
        } catch (IOException e) {
            decoders.forEach(PocketsphinxDecoder::close);
            decoders.clear();
            return EngineStatus.broken(e.getMessage());
        }
        idle.addAll(decoders);
        return EngineStatus.ready("pocketsphinx en-us (" + models + "), " + slots + (slots == 1 ? " decoder" : " decoders"));
    }
}
