package io.tiergate.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.tiergate.audio.testing.TestAssets;
import io.tiergate.common.problem.ProblemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    void aRecordingLongerThanTakenIsRefusedWith413() {
        assertThatThrownBy(() -> probe.probe(JFK, 10)).isInstanceOfSatisfying(ProblemException.class,
                e -> assertThat(e.problem().status()).isEqualTo(413));
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
