package io.tiergate.audio.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.audio.SampleSource;
import io.tiergate.audio.vad.SpeechRegion;
import io.tiergate.audio.vad.VadSettings;
import io.tiergate.audio.vad.VoiceActivityModel;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/**
 * The chunker's cuts, exactly, on made-up recordings scored by a stand-in model: "speech" is noise whose probability is
 * twice its mean amplitude (0.45 gives 0.9), silence is zeros. With the default VAD settings a run of speech windows
 * [a, b) becomes the region [a·512 − 480, b·512 + 480).
 */
class ChunkReaderTest {

    private static final int W = VoiceActivityModel.WINDOW_SAMPLES;
    private static final int PAD = 480;
    private static final int SECOND = 16_000;
    private static final long MAX = 30L * SECOND;
    private static final float SPEECH = 0.45f;

    private final Chunker chunker = new Chunker(new AmplitudeModel(), VadSettings.DEFAULTS, ChunkSettings.DEFAULTS);

    @Test
    void speechWithNoPauseIsCutAtTheMaximum() throws Exception {
        float[] recording = signal(seconds(100), SPEECH);

        List<AudioChunk> chunks = chunks(recording);

        assertThat(chunks).hasSize(4);
        for (int i = 0; i < chunks.size(); i++) {
            AudioChunk chunk = chunks.get(i);
            assertThat(chunk.samples().length).isLessThanOrEqualTo((int) MAX);
            if (i < chunks.size() - 1) {
                assertThat(chunk.samples().length).isGreaterThan((int) MAX - W);
                assertThat(chunks.get(i + 1).startSample()).as("speech goes on in the next chunk").isEqualTo(chunk.endSample());
            }
            assertThat(chunk.speech()).containsExactly(new SpeechRegion(chunk.startSample(), chunk.endSample()));
        }
        assertThat(chunks.get(3).endSample()).isEqualTo(recording.length);
    }

    @Test
    void speechWithNoPauseIsCutWhereItIsLeastLikelyPastTheTarget() throws Exception {
        // Quieter speech (probability 0.6) from 27.0 s to 27.5 s, all else 0.9.
        float[] recording = concat(signal(27 * SECOND, SPEECH), signal(SECOND / 2, 0.3f), signal(33 * SECOND, SPEECH));

        List<AudioChunk> chunks = chunks(recording);

        assertThat(chunks.get(0).endSample()).isBetween(27L * SECOND, 27L * SECOND + SECOND / 2);
        assertThat(chunks.get(1).startSample()).isEqualTo(chunks.get(0).endSample());
    }

    @Test
    void speechEndingAsTheMaximumIsReachedLeavesNoEmptyChunkAfterTheCut() throws Exception {
        // The cut comes 1.5 windows into the silence, before the segmenter has seen enough of it to end the speech.
        float[] recording = concat(signal(936 * W, SPEECH), signal(100 * W, 0));

        List<AudioChunk> chunks = chunks(recording);

        assertThat(chunks).singleElement().satisfies(chunk -> {
            assertThat(chunk.startSample()).isZero();
            assertThat(chunk.endSample()).isEqualTo(937L * W + W / 2);
        });
    }

    @Test
    void aChunkEndsAtTheFirstPauseAfterTheTarget() throws Exception {
        // About 2 s of speech and 0.5 s of silence, again and again: pauses at 27.0 s and at 29.5 s, both past the
        // target and within the maximum.
        float[] block = concat(signal(62 * W, SPEECH), signal(16 * W, 0));
        float[] recording = concat(Collections.nCopies(20, block).toArray(float[][]::new));

        List<AudioChunk> chunks = chunks(recording);

        assertThat(chunks.get(0).startSample()).isZero();
        assertThat(chunks.get(0).endSample()).isEqualTo(10L * block.length + 62 * W + PAD);
        assertThat(chunks.get(0).speech()).hasSize(11);
        assertThat(chunks.get(1).startSample()).isEqualTo(11L * block.length - PAD);
    }

    @Test
    void whenTheFirstPauseAfterTheTargetComesPastTheMaximumTheChunkEndsAtTheLatestPauseBefore() throws Exception {
        // 10 s of speech and 1 s of silence: pauses at 10, 21, 32… s; the third comes after 30 s.
        float[] block = concat(signal(windows(10), SPEECH), signal(windows(1), 0));
        float[] recording = concat(block, block, block, block, block, block);

        List<AudioChunk> chunks = chunks(recording);

        assertThat(chunks.get(0).endSample()).isEqualTo(block.length + windows(10) + PAD);
        assertThat(chunks.get(1).startSample()).isEqualTo(2L * block.length - PAD);
        assertThat(chunks.get(1).endSample()).isEqualTo(3L * block.length + windows(10) + PAD);
    }

    @Test
    void aLongPauseEndsAChunkBeforeTheTarget() throws Exception {
        float[] recording = concat(signal(windows(3), SPEECH), signal(windows(6), 0), signal(windows(3), SPEECH),
                signal(windows(2), 0), signal(windows(3), SPEECH), signal(windows(1), 0));

        List<AudioChunk> chunks = chunks(recording);

        long secondStart = windows(3) + windows(6);
        long secondEnd = secondStart + windows(3) + windows(2) + windows(3);
        assertThat(chunks).extracting(AudioChunk::startSample, AudioChunk::endSample).containsExactly(
                Tuple.tuple(0L, (long) windows(3) + PAD),
                Tuple.tuple(secondStart - PAD, secondEnd + PAD));
        assertThat(chunks.get(1).speech()).hasSize(2);
    }

    @Test
    void aLongPauseEndsTheChunkBeforeTheNextSpeechIsRead() throws Exception {
        float[] recording = concat(signal(windows(3), SPEECH), signal(windows(60), 0), signal(windows(3), SPEECH));
        ReadCounter source = new ReadCounter(recording);

        try (ChunkReader reader = chunker.open(source)) {
            AudioChunk first = reader.next().orElseThrow();
            assertThat(first.endSample()).isEqualTo(windows(3) + PAD);
            assertThat(source.position).isLessThan(windows(3) + 6 * SECOND + W);
        }
    }

    @Test
    void silenceGivesNoChunk() throws Exception {
        assertThat(chunks(new float[60 * SECOND])).isEmpty();
    }

    @Test
    void tenMinutesAreChunkedHoldingNoMoreThanAChunkAndAWindow() throws Exception {
        // Speech and silence in whole windows, so that padded regions start and end in silence.
        Random random = new Random(42);
        List<float[]> parts = new ArrayList<>();
        List<long[]> speech = new ArrayList<>();
        long length = 0;
        while (length < 600L * SECOND) {
            int silence = (SECOND / 5 + random.nextInt(8 * SECOND)) / W * W;
            int talk = (SECOND / 2 + random.nextInt(12 * SECOND)) / W * W;
            parts.add(signal(silence, 0));
            parts.add(signal(talk, SPEECH));
            speech.add(new long[] {length + silence, length + silence + talk});
            length += silence + talk;
        }
        parts.add(signal(SECOND, 0));
        float[] recording = concat(parts.toArray(float[][]::new));

        List<AudioChunk> chunks = new ArrayList<>();
        try (ChunkReader reader = chunker.open(source(recording))) {
            for (Optional<AudioChunk> chunk; (chunk = reader.next()).isPresent(); ) {
                chunks.add(chunk.get());
            }
            assertThat(reader.mostSamplesHeld()).isLessThanOrEqualTo((int) MAX + W);
            assertThat(reader.samplesRead()).isEqualTo(recording.length);
        }

        long previousEnd = 0;
        for (AudioChunk chunk : chunks) {
            assertThat(chunk.samples().length).isLessThanOrEqualTo((int) MAX);
            assertThat(chunk.startSample()).as("in order, apart").isGreaterThan(previousEnd);
            assertThat(Arrays.equals(chunk.samples(), Arrays.copyOfRange(recording, (int) chunk.startSample(),
                    (int) chunk.endSample()))).as("the recording's samples from its start").isTrue();
            assertThat(silent(recording, chunk.startSample() - PAD, chunk.startSample() + PAD)).as("starts in silence").isTrue();
            assertThat(silent(recording, chunk.endSample() - PAD, chunk.endSample() + PAD)).as("ends in silence").isTrue();
            previousEnd = chunk.endSample();
        }
        for (long[] talk : speech) {
            assertThat(chunks).as("a chunk holds the speech at %d", talk[0])
                    .anyMatch(chunk -> chunk.startSample() <= talk[0] && talk[1] <= chunk.endSample());
        }
    }

    private List<AudioChunk> chunks(float[] recording) throws IOException {
        List<AudioChunk> chunks = new ArrayList<>();
        try (ChunkReader reader = chunker.open(source(recording))) {
            for (Optional<AudioChunk> chunk; (chunk = reader.next()).isPresent(); ) {
                chunks.add(chunk.get());
            }
        }
        for (int i = 0; i < chunks.size(); i++) {
            assertThat(chunks.get(i).index()).isEqualTo(i);
        }
        return chunks;
    }

    private static boolean silent(float[] recording, long from, long to) {
        for (long i = Math.max(0, from); i < Math.min(recording.length, to); i++) {
            if (recording[(int) i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static int seconds(int seconds) {
        return seconds * SECOND;
    }

    /** Whole windows lasting about that many seconds, so that runs of speech start and end on window bounds. */
    private static int windows(int seconds) {
        return seconds * SECOND / W * W;
    }

    /** Noise of the given mean amplitude (random signs), or silence for 0. */
    private static float[] signal(int samples, float amplitude) {
        float[] out = new float[samples];
        Random random = new Random(samples);
        for (int i = 0; i < samples; i++) {
            out[i] = random.nextBoolean() ? amplitude : -amplitude;
        }
        return out;
    }

    private static float[] concat(float[]... parts) {
        float[] out = new float[Arrays.stream(parts).mapToInt(part -> part.length).sum()];
        int at = 0;
        for (float[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }

    private static SampleSource source(float[] samples) {
        return new ReadCounter(samples);
    }

    /** Serves samples in reads of odd sizes, as a decode does, and counts how far it was read. */
    private static final class ReadCounter implements SampleSource {

        private final float[] samples;
        private int position;

        ReadCounter(float[] samples) {
            this.samples = samples;
        }

        @Override
        public int read(float[] into, int offset, int length) {
            if (position == samples.length) {
                return -1;
            }
            int count = Math.min(Math.min(length, 300), samples.length - position);
            System.arraycopy(samples, position, into, offset, count);
            position += count;
            return count;
        }
    }

    /** Scores a window by its mean amplitude: twice it, at most 1. */
    private static final class AmplitudeModel implements VoiceActivityModel {

        @Override
        public Stream openStream() {
            return new Stream() {
                @Override
                public float speechProbability(float[] samples, int offset) {
                    double sum = 0;
                    for (int i = offset; i < offset + WINDOW_SAMPLES; i++) {
                        sum += Math.abs(samples[i]);
                    }
                    return (float) Math.min(1, 2 * sum / WINDOW_SAMPLES);
                }

                @Override
                public void close() {
                }
            };
        }
    }
}
