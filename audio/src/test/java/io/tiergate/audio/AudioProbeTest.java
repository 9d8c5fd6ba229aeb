package io.tiergate.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiergate.audio.testing.TestAssets;
import io.tiergate.common.problem.ProblemException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AudioProbeTest {

    private static final Path JFK = TestAssets.path("asr/jfk.wav");

    private final AudioProbe probe = new AudioProbe(AudioTools.onPath());

    @Test
    void aWavFileIsReadFromItsHeader() throws Exception {
        AudioInfo info = probe.probe(JFK, 3600);

        assertThat(info.format()).isEqualTo("wav");
        assertThat(info.durationSeconds()).isEqualTo(11.0);
        assertThat(info.sampleRate()).isEqualTo(16_000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"pcm_s16le", "pcm_u8", "pcm_s24le", "pcm_s32le", "pcm_f32le", "pcm_f64le"})
    void aPlainWavFileIsReadWithoutFfprobeAsFfprobeReadsIt(String codec, @TempDir Path dir) throws Exception {
        Path wav = dir.resolve("stereo-" + codec + ".wav");
        assertThat(new ProcessBuilder("ffmpeg", "-v", "error", "-i", JFK.toString(), "-ac", "2", "-ar", "22050",
                "-c:a", codec, wav.toString()).inheritIO().start().waitFor()).isZero();
        AudioProbe withoutFfprobe = new AudioProbe(new AudioTools(Path.of("ffmpeg"), dir.resolve("no-ffprobe"),
                Duration.ofSeconds(20)));

        AudioInfo fromHeader = withoutFfprobe.probe(wav, 3600);

        Process ffprobe = new ProcessBuilder("ffprobe", "-v", "error", "-select_streams", "a:0", "-show_entries",
                "stream=codec_name,sample_rate,channels,duration", "-of", "json", wav.toString()).start();
        JsonNode stream = new ObjectMapper().readTree(ffprobe.getInputStream()).path("streams").path(0);
        assertThat(fromHeader.format()).isEqualTo("wav");
        assertThat(fromHeader.codec()).isEqualTo(codec).isEqualTo(stream.path("codec_name").asText());
        assertThat(fromHeader.durationSeconds()).isCloseTo(stream.path("duration").asDouble(), within(1e-6));
        assertThat(fromHeader.sampleRate()).isEqualTo(stream.path("sample_rate").asInt()).isEqualTo(22_050);
        assertThat(fromHeader.channels()).isEqualTo(stream.path("channels").asInt()).isEqualTo(2);
        assertThat(fromHeader.bytes()).isEqualTo(Files.size(wav));
    }

    @Test
    void wavFilesTheHeaderDoesNotVouchForAreLeftToFfprobe(@TempDir Path dir) throws Exception {
        AudioProbe withoutFfprobe = new AudioProbe(new AudioTools(Path.of("ffmpeg"), dir.resolve("no-ffprobe"),
                Duration.ofSeconds(20)));
        byte[] whole = Files.readAllBytes(JFK);
        Path overstated = Files.write(dir.resolve("overstated.wav"), Arrays.copyOf(whole, whole.length / 2));
        Path alaw = dir.resolve("alaw.wav");
        assertThat(new ProcessBuilder("ffmpeg", "-v", "error", "-i", JFK.toString(), "-c:a", "pcm_alaw", alaw.toString())
                .inheritIO().start().waitFor()).isZero();

        for (Path file : List.of(overstated, alaw)) {
            assertThatThrownBy(() -> withoutFfprobe.probe(file, 3600)).as(file.getFileName().toString())
                    .isInstanceOf(IOException.class);
        }
    }

    @Test
    void textIsRefusedNamingTheFileField(@TempDir Path dir) throws Exception {
        Path text = Files.writeString(dir.resolve("notes.wav"), "these are not samples");

        assertThatThrownBy(() -> probe.probe(text, 3600)).isInstanceOfSatisfying(ProblemException.class, e -> {
            assertThat(e.problem().status()).isEqualTo(400);
            assertThat(e.problem().field()).isEqualTo("file");
            assertThat(e.problem().detail()).doesNotContain(dir.toString());
        });
    }

    @Test
    void aSampleRateNoSpeechRecordingHasIsRefusedNamingTheFileField(@TempDir Path dir) throws Exception {
        // 28 KB of 8-bit samples at 1 Hz would count as almost eight hours; the same bytes at 4000 Hz are 7 s.
        for (int rate : new int[] {1, AudioProbe.MIN_SAMPLE_RATE - 1}) {
            Path slow = dir.resolve("at-" + rate + "-hz.wav");
            AudioSystem.write(new AudioInputStream(new ByteArrayInputStream(new byte[28_000]),
                    new AudioFormat(rate, 8, 1, false, false), 28_000), AudioFileFormat.Type.WAVE, slow.toFile());

            assertThatThrownBy(() -> probe.probe(slow, 28_800)).as(rate + " Hz").isInstanceOfSatisfying(ProblemException.class, e -> {
                assertThat(e.problem().status()).isEqualTo(400);
                assertThat(e.problem().field()).isEqualTo("file");
                assertThat(e.problem().detail()).contains(rate + " Hz");
            });
        }
        Path telephone = dir.resolve("telephone.wav");
        AudioSystem.write(new AudioInputStream(new ByteArrayInputStream(new byte[28_000]), new AudioFormat(8000, 8, 1, false, false),
                28_000), AudioFileFormat.Type.WAVE, telephone.toFile());
        assertThat(probe.probe(telephone, 28_800).durationSeconds()).isCloseTo(3.5, within(0.01));
    }

    @Test
    void aRecordingLongerThanTakenIsRefusedWith413() {
        assertThatThrownBy(() -> probe.probe(JFK, 10)).isInstanceOfSatisfying(ProblemException.class,
                e -> assertThat(e.problem().status()).isEqualTo(413));
    }

    @Test
    void aSixteenKilohertzMonoWavIsReadAsItIsWithoutFfmpeg(@TempDir Path dir) throws Exception {
        Path bare = dir.resolve("bare.wav");
        Path tagged = dir.resolve("tagged.wav");
        // One with ffmpeg's plain 44-byte header, one with a LIST chunk naming the encoder before the data.
        assertThat(new ProcessBuilder("ffmpeg", "-v", "error", "-i", JFK.toString(), "-fflags", "+bitexact",
                bare.toString()).inheritIO().start().waitFor()).isZero();
        assertThat(new ProcessBuilder("ffmpeg", "-v", "error", "-i", JFK.toString(), tagged.toString())
                .inheritIO().start().waitFor()).isZero();
        AudioTools none = new AudioTools(dir.resolve("no-ffmpeg"), dir.resolve("no-ffprobe"), Duration.ofSeconds(20));
        byte[] data = Arrays.copyOfRange(Files.readAllBytes(bare), 44, (int) Files.size(bare));

        for (Path file : List.of(bare, tagged)) {
            float[] samples = new float[200_000];
            int count;
            try (PcmStream stream = new PcmDecoder(none).open(file, new AudioProbe(none).probe(file, 3600))) {
                count = stream.readFully(samples, 0, samples.length);
                assertThat(stream.read(samples, 0, 1)).isEqualTo(-1);
            }
            assertThat(count).as(file.getFileName().toString()).isEqualTo(176_000).isEqualTo(data.length / 2);
            for (int i = 0; i < count; i += 997) {
                assertThat(samples[i]).isEqualTo((short) ((data[2 * i] & 0xff) | (data[2 * i + 1] << 8)) / 32768f);
            }
        }
    }

    @Test
    void aWavWhoseDataSizeWasNeverFilledInIsMeasuredAndDecodedWhole(@TempDir Path dir) throws Exception {
        Path bare = dir.resolve("bare.wav");
        assertThat(new ProcessBuilder("ffmpeg", "-v", "error", "-i", JFK.toString(), "-fflags", "+bitexact",
                bare.toString()).inheritIO().start().waitFor()).isZero();
        byte[] wav = Files.readAllBytes(bare);
        ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 0).putInt(40, 0);
        Path unfinished = Files.write(dir.resolve("unfinished.wav"), wav);

        AudioInfo info = probe.probe(unfinished, 3600);
        float[] samples = new float[200_000];
        try (PcmStream stream = new PcmDecoder(AudioTools.onPath()).open(unfinished, info)) {
            assertThat(stream.readFully(samples, 0, samples.length)).isEqualTo(176_000);
        }
        assertThat(info.durationSeconds()).isCloseTo(11.0, within(0.01));
    }

    @Test
    void aHeaderOverstatingItsBlockAlignmentDoesNotUnderstateTheDuration(@TempDir Path dir) throws Exception {
        Path wide = dir.resolve("wide.wav");
        // 24-bit samples: ffmpeg writes an extensible header, whose block alignment the JDK takes as it stands.
        assertThat(new ProcessBuilder("ffmpeg", "-v", "error", "-i", JFK.toString(), "-c:a", "pcm_s24le", "-fflags",
                "+bitexact", wide.toString()).inheritIO().start().waitFor()).isZero();
        byte[] wav = Files.readAllBytes(wide);
        ByteBuffer header = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(header.getShort(20)).as("WAVE_FORMAT_EXTENSIBLE").isEqualTo((short) 0xFFFE);
        header.putShort(32, (short) 6);
        Path lying = Files.write(dir.resolve("lying.wav"), wav);

        assertThat(probe.probe(lying, 3600).durationSeconds()).isCloseTo(11.0, within(0.01));
    }

    @Test
    void decodingGivesSixteenKilohertzMonoSamples() throws Exception {
        long samples = 0;
        try (PcmStream stream = new PcmDecoder(AudioTools.onPath()).open(JFK, probe.probe(JFK, 3600))) {
            float[] buffer = new float[4000];
            assertThat(stream.read(buffer, 0, 0)).as("reading nothing is not the end").isZero();
            for (int read; (read = stream.read(buffer, 0, buffer.length)) >= 0; ) {
                samples += read;
            }
        }
        assertThat(samples).isEqualTo(176_000);
    }

    @Test
    void aProbeIsAnsweredWhileLongTasksHoldEveryThreadOfTheCommonPool() throws Exception {
        // Surefire runs this module with a common pool of 3 threads, as on a 4-core machine: on 2 cores the JDK runs
        // each async task on its own thread, and the pool could not be filled.
        int threads = ForkJoinPool.getCommonPoolParallelism();
        CountDownLatch busy = new CountDownLatch(threads);
        CountDownLatch release = new CountDownLatch(1);
        for (int i = 0; i < threads; i++) {
            ForkJoinPool.commonPool().execute(() -> {
                busy.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        try {
            assertThat(busy.await(5, TimeUnit.SECONDS)).isTrue();
            AudioInfo info = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> probe.probe(JFK, 3600));
            assertThat(info.durationSeconds()).isEqualTo(11.0);
        } finally {
            release.countDown();
        }
    }
}
