package io.tiergate.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.tiergate.audio.testing.BadAudioCorpus;
import io.tiergate.audio.testing.BadAudioCorpus.Case;
import io.tiergate.audio.testing.BadAudioCorpus.RefusedBy;
import io.tiergate.common.problem.Problem;
import io.tiergate.common.problem.ProblemException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** Every upload of the corpus is taken or refused exactly as it says, by the step it says, and quickly. */
class BadAudioCorpusTest {

    @TempDir
    static Path dir;

    private static List<Case> corpus;

    private final AudioTools tools = AudioTools.onPath();

    @BeforeAll
    static void writeCorpus() throws Exception {
        corpus = BadAudioCorpus.writeTo(dir);
    }

    @TestFactory
    Stream<DynamicTest> eachCaseGetsItsOutcome() {
        return corpus.stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> assertTimeoutPreemptively(
                Duration.ofSeconds(5), () -> check(c))));
    }

    private void check(Case c) throws Exception {
        AudioInfo info;
        try {
            info = new AudioProbe(tools).probe(c.file(), BadAudioCorpus.MAX_SECONDS);
        } catch (ProblemException e) {
            assertThat(c.refusedBy()).as("refused by the probe: " + e.problem().detail()).isEqualTo(RefusedBy.PROBE);
            assertRefusal(c, e.problem());
            return;
        }
        assertThat(c.refusedBy()).as("taken by the probe").isNotEqualTo(RefusedBy.PROBE);
        long samples = 0;
        try (PcmStream stream = new PcmDecoder(tools).open(c.file(), info)) {
            float[] buffer = new float[8192];
            for (int read; (read = stream.read(buffer, 0, buffer.length)) >= 0; ) {
                samples += read;
            }
        } catch (ProblemException e) {
            assertThat(c.refusedBy()).as("refused by the decode: " + e.problem().detail()).isEqualTo(RefusedBy.DECODE);
            assertRefusal(c, e.problem());
            return;
        }
        assertThat(c.refusedBy()).as("taken by the decode").isEqualTo(RefusedBy.NONE);
        assertThat(c.status()).isEqualTo(200);
        assertThat(info.durationSeconds()).as("probed duration").isCloseTo(c.seconds(), within(0.1));
        assertThat(samples / (double) PcmDecoder.SAMPLE_RATE).as("decoded duration").isCloseTo(c.seconds(), within(0.1));
    }

    private static void assertRefusal(Case c, Problem problem) {
        assertThat(problem.status()).as(problem.detail()).isEqualTo(c.status());
        assertThat(problem.field()).isEqualTo("file");
        assertThat(problem.detail()).startsWith("file ").doesNotContain(dir.toString());
    }
}
