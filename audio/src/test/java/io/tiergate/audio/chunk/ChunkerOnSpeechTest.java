package io.tiergate.audio.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiergate.audio.AudioInfo;
import io.tiergate.audio.AudioProbe;
import io.tiergate.audio.AudioTools;
import io.tiergate.audio.PcmDecoder;
import io.tiergate.audio.PcmStream;
import io.tiergate.audio.WavFile;
import io.tiergate.audio.testing.TestAssets;
import io.tiergate.audio.vad.SileroVad;
import io.tiergate.audio.vad.SpeechRegion;
import io.tiergate.audio.vad.VadSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Silero VAD and the chunker on two minutes of real speech: the test clips, with silences of known length between. */
class ChunkerOnSpeechTest {

    private static final int SECOND = PcmDecoder.SAMPLE_RATE;
    private static final int MAX = 30 * SECOND;

    @Test
    void chunksARecordingAtItsPauses(@TempDir Path dir) throws Exception {
        List<float[]> parts = new ArrayList<>();
        long[] longSilence = new long[2];
        int length = 0;
        Object[] layout = {1.0, "asr/jfk.wav", 2.0, "asr/librivox_sense_and_sensibility_01_austen_64kb-0870.wav", 0.7,
                "asr/librivox_sense_and_sensibility_01_austen_64kb-0880.wav", 1.5, "diarization/pyannote_sample.wav", 3.0,
                "asr/librivox_sense_and_sensibility_01_austen_64kb-0890.wav", 0.5,
                "asr/librivox_sense_and_sensibility_01_austen_64kb-0920.wav", 7.0, "diarization/ami_dev00.wav", 1.0,
                "asr/librivox_sense_and_sensibility_01_austen_64kb-0930.wav", 2.0, "asr/jfk.wav", 1.0};
        for (Object part : layout) {
            float[] samples = part instanceof Double seconds ? new float[(int) (seconds * SECOND)]
                    : TestAssets.samples(TestAssets.path((String) part));
            if (part instanceof Double seconds && seconds == 7.0) {
                longSilence[0] = length;
                longSilence[1] = length + samples.length;
            }
            parts.add(samples);
            length += samples.length;
        }
        float[] recording = new float[length];
        int at = 0;
        for (float[] part : parts) {
            System.arraycopy(part, 0, recording, at, part.length);
            at += part.length;
        }
        Path wav = dir.resolve("recording.wav");
        WavFile.write(wav, recording, 0, recording.length);

        List<AudioChunk> chunks = new ArrayList<>();
        List<SpeechRegion> speech;
        AudioTools tools = AudioTools.onPath();
        AudioInfo info = new AudioProbe(tools).probe(wav, 3600);
        try (SileroVad vad = SileroVad.load(TestAssets.path("vad/silero_vad.onnx"))) {
            Chunker chunker = new Chunker(vad, VadSettings.DEFAULTS, ChunkSettings.DEFAULTS);
            try (PcmStream pcm = new PcmDecoder(tools).open(wav, info); ChunkReader reader = chunker.open(pcm)) {
                for (Optional<AudioChunk> chunk; (chunk = reader.next()).isPresent(); ) {
                    chunks.add(chunk.get());
                }
                assertThat(reader.samplesRead()).isEqualTo(recording.length);
            }
            try (PcmStream pcm = new PcmDecoder(tools).open(wav, info)) {
                speech = vad.speechRegions(pcm, VadSettings.DEFAULTS);
            }
        }

        assertThat(recording.length).isGreaterThan(120 * SECOND);
        assertThat(chunks).hasSizeGreaterThan(4);
        long previousEnd = 0;
        for (int i = 0; i < chunks.size(); i++) {
            AudioChunk chunk = chunks.get(i);
            assertThat(chunk.samples().length).isLessThanOrEqualTo(MAX);
            assertThat(chunk.startSample()).as("in order, not overlapping").isGreaterThanOrEqualTo(previousEnd);
            assertThat(Arrays.equals(chunk.samples(), Arrays.copyOfRange(recording, (int) chunk.startSample(),
                    (int) chunk.endSample()))).as("chunk %d holds the recording's samples from its start", i).isTrue();
            boolean hardCut = i + 1 < chunks.size() && chunks.get(i + 1).startSample() == chunk.endSample();
            if (!hardCut) {
                assertThat(speech).as("chunk %d ends where speech ends", i)
                        .anyMatch(region -> region.endSample() == chunk.endSample());
            }
            previousEnd = chunk.endSample();
        }
        for (SpeechRegion region : speech) {
            long covered = chunks.stream().mapToLong(chunk -> Math.max(0,
                    Math.min(chunk.endSample(), region.endSample()) - Math.max(chunk.startSample(), region.startSample())))
                    .sum();
            assertThat(covered).as("speech at %.2f s is in chunks", region.startSeconds()).isEqualTo(region.samples());
        }
        assertThat(chunks).as("the 7 s silence, longer than a chunk may hold, lies between two chunks")
                .anyMatch(chunk -> chunk.endSample() <= longSilence[0] + SECOND
                        && chunks.stream().anyMatch(next -> next.startSample() >= longSilence[1] - SECOND
                        && next.index() == chunk.index() + 1));

        AudioChunk first = chunks.get(0);
        Path chunkWav = dir.resolve("chunk.wav");
        first.writeWav(chunkWav);
        assertThat(Arrays.equals(TestAssets.samples(chunkWav), first.samples())).as("a chunk's WAV file holds its samples")
                .isTrue();
    }
}
