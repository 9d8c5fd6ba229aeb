package io.tiergate.audio.chunk;

import io.tiergate.audio.PcmDecoder;
import io.tiergate.audio.SampleSource;
import io.tiergate.audio.vad.SpeechRegion;
import io.tiergate.audio.vad.SpeechSegmenter;
import io.tiergate.audio.vad.VadSettings;
import io.tiergate.audio.vad.VoiceActivityModel;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One recording's chunks, read in order as the recording decodes. A chunk starts where speech starts and ends where
 * speech ends: the silences between chunks are left out, and their times are kept because every chunk knows where it
 * starts. A chunk ends
 * <ul>
 * <li>at the first pause once it has reached the target length,</li>
 * <li>at a pause longer than {@link ChunkSettings#maxSilence()}, whatever its length,</li>
 * <li>when speech runs on to the maximum length: at the latest pause before it, or where speech is least likely
 * between the target and the maximum when there is none; speech cut there goes on in the next chunk, which starts at
 * the cut.</li>
 * </ul>
 * It keeps at most one maximum-length chunk and a window of samples (plus, between chunks, the few hundred
 * milliseconds a start is confirmed in), never the recording. Chunks are independent of the reader once returned, so a
 * caller can transcribe several at once while reading on, bounding how many are in flight:
 *
 * <pre>{@code
 * try (PcmStream pcm = decoder.open(file, info); ChunkReader chunks = chunker.open(pcm)) {
 *     for (Optional<AudioChunk> chunk; (chunk = chunks.next()).isPresent(); ) {
 *         inFlight.acquire();
 *         executor.submit(() -> { try { transcribe(chunk.get()); } finally { inFlight.release(); } });
 *     }
 * }
 * }</pre>
 *
 * Not thread-safe: one thread reads it.
 */
public final class ChunkReader implements AutoCloseable {

    private static final int WINDOW = VoiceActivityModel.WINDOW_SAMPLES;

    private final SampleSource source;
    private final VoiceActivityModel.Stream vad;
    private final SpeechSegmenter segmenter;
    private final long targetSamples;
    private final long maxSamples;
    private final long maxSilenceSamples;
    private final float[] window = new float[WINDOW];
    /** The recording's samples from the earliest one a chunk may still need. */
    private final FloatRing samples;
    /** Each window's speech probability, by window number, for the same stretch. */
    private final FloatRing probabilities;
    private final ArrayDeque<AudioChunk> ready = new ArrayDeque<>();
    private long samplesRead;
    private int mostSamplesHeld;
    /** Where the chunk being gathered starts, or -1 between chunks. */
    private long chunkStart = -1;
    /** The ended regions of the chunk being gathered, and any after a cut that the next chunk takes. */
    private List<SpeechRegion> regions = new ArrayList<>();
    /** Where the region under way started (no earlier than the chunk), or -1 when none is. */
    private long openRegionStart = -1;
    private int nextIndex;
    private boolean ended;

    ChunkReader(SampleSource source, VoiceActivityModel.Stream vad, VadSettings vadSettings, ChunkSettings settings) {
        this.source = source;
        this.vad = vad;
        this.segmenter = new SpeechSegmenter(vadSettings, new SpeechSegmenter.Listener() {
            @Override
            public void speechStarted(long sample) {
                regionStarted(sample);
            }

            @Override
            public void speechEnded(long sample) {
                regionEnded(sample);
            }
        });
        this.targetSamples = samples(settings.target());
        this.maxSamples = samples(settings.max());
        this.maxSilenceSamples = samples(settings.maxSilence());
        int held = (int) (maxSamples + 2 * WINDOW);
        this.samples = new FloatRing(held);
        this.probabilities = new FloatRing(held / WINDOW + 2);
    }

    /**
     * The next chunk, reading as much of the recording as it takes.
     *
     * @return empty once the recording has no more speech
     * @throws IOException as the source throws it: for a decode, a {@code ProblemException} naming {@code file}
     */
    public Optional<AudioChunk> next() throws IOException {
        while (ready.isEmpty() && !ended) {
            readWindow();
        }
        return Optional.ofNullable(ready.poll());
    }

    /** How many samples have been read: once {@link #next()} came back empty, the recording's length. */
    public long samplesRead() {
        return samplesRead;
    }

    /** The most samples held at once so far: what bounds this reader's memory. */
    int mostSamplesHeld() {
        return mostSamplesHeld;
    }

    /** Releases the voice activity state; the source is the caller's to close. */
    @Override
    public void close() {
        vad.close();
    }

    private void readWindow() throws IOException {
        int read = source.readFully(window, 0, WINDOW);
        if (read == 0) {
            segmenter.finish(samplesRead);
            cutWhileDue();
            if (chunkStart >= 0) {
                cut(lastRegionEnd());
            }
            ended = true;
            return;
        }
        samples.append(window, read);
        mostSamplesHeld = Math.max(mostSamplesHeld, samples.length());
        samplesRead += read;
        // The last window is padded with silence, as Silero's own code does.
        Arrays.fill(window, read, WINDOW, 0f);
        float probability = vad.speechProbability(window, 0);
        probabilities.append(probability);
        segmenter.accept(probability, samplesRead);
        cutWhileDue();
        long keepFrom = Math.min(chunkStart >= 0 ? chunkStart : Long.MAX_VALUE, segmenter.earliestPossibleStart());
        samples.dropBefore(keepFrom);
        probabilities.dropBefore(keepFrom / WINDOW);
    }

    private void regionStarted(long sample) {
        if (chunkStart < 0) {
            chunkStart = sample;
        }
        openRegionStart = sample;
    }

    private void regionEnded(long sample) {
        long start = openRegionStart;
        openRegionStart = -1;
        if (sample > start) {
            regions.add(new SpeechRegion(start, sample));
        } else if (regions.isEmpty()) {
            // The speech a hard cut ran through had ended just before the cut, as the segmenter only now knows:
            // nothing of it is left for the chunk that began at the cut.
            chunkStart = -1;
        }
    }

    private void cutWhileDue() {
        while (chunkStart >= 0 && cutIfDue()) {
            // Each cut may leave a chunk that is itself due.
        }
    }

    private boolean cutIfDue() {
        for (SpeechRegion region : regions) {
            long length = region.endSample() - chunkStart;
            if (length >= targetSamples && length <= maxSamples) {
                cut(region.endSample());
                return true;
            }
        }
        if (openRegionStart < 0 && !regions.isEmpty()
                && segmenter.earliestPossibleStart() - lastRegionEnd() >= maxSilenceSamples) {
            cut(lastRegionEnd());
            return true;
        }
        if (samplesRead - chunkStart >= maxSamples) {
            long latestPause = -1;
            for (SpeechRegion region : regions) {
                if (region.endSample() - chunkStart <= maxSamples) {
                    latestPause = region.endSample();
                }
            }
            cut(latestPause >= 0 ? latestPause : leastSpeechPoint());
            return true;
        }
        return false;
    }

    /**
     * The middle of the window least likely to be speech between the target and the maximum length (the latest of
     * equals, for the longest chunk); the maximum when no window's middle falls there.
     */
    private long leastSpeechPoint() {
        long from = chunkStart + targetSamples;
        long to = chunkStart + maxSamples;
        long best = to;
        float lowest = Float.MAX_VALUE;
        for (long w = Math.max(0, Math.floorDiv(from - WINDOW / 2 + WINDOW - 1, WINDOW)); w * WINDOW + WINDOW / 2 <= to; w++) {
            float probability = probabilities.get(w);
            if (probability <= lowest) {
                lowest = probability;
                best = w * WINDOW + WINDOW / 2;
            }
        }
        return best;
    }

    /** Emits the chunk up to {@code end}; what follows it starts the next chunk. */
    private void cut(long end) {
        List<SpeechRegion> inChunk = new ArrayList<>();
        List<SpeechRegion> after = new ArrayList<>();
        for (SpeechRegion region : regions) {
            if (region.startSample() < end) {
                inChunk.add(new SpeechRegion(region.startSample(), Math.min(region.endSample(), end)));
            }
            if (region.endSample() > end) {
                after.add(new SpeechRegion(Math.max(region.startSample(), end), region.endSample()));
            }
        }
        if (openRegionStart >= 0 && openRegionStart < end) {
            inChunk.add(new SpeechRegion(openRegionStart, end));
            openRegionStart = end;
        }
        ready.add(new AudioChunk(nextIndex++, chunkStart, samples.copy(chunkStart, end), inChunk));
        regions = after;
        chunkStart = after.isEmpty() ? openRegionStart : after.get(0).startSample();
    }

    private long lastRegionEnd() {
        return regions.get(regions.size() - 1).endSample();
    }

    private static long samples(Duration duration) {
        return duration.toNanos() * PcmDecoder.SAMPLE_RATE / 1_000_000_000L;
    }
}
