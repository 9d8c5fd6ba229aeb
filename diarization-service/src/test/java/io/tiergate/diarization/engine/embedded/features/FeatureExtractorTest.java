package io.tiergate.diarization.engine.embedded.features;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FeatureExtractorTest {

    private final FeatureExtractor extractor = new FeatureExtractor(40, 20);

    @Test
    void aPureToneFillsTheMelFilterItsFrequencyFallsInAndFewOthers() {
        float[] tone = new float[16_000];
        for (int i = 0; i < tone.length; i++) {
            tone[i] = (float) (0.5 * Math.sin(2 * Math.PI * 1000 * i / 16_000.0));
        }
        double[][] logMel = extractor.logMel(tone);

        assertThat(logMel).hasNumberOfRows(FeatureExtractor.frameCount(tone.length)).hasNumberOfRows(98);
        double[] frame = logMel[50];
        int loudest = 0;
        for (int m = 1; m < frame.length; m++) {
            loudest = frame[m] > frame[loudest] ? m : loudest;
        }
        // 1 kHz is 1000 mel of the 20 Hz - 7.6 kHz scale (~2840 mel) split into 41 steps: the 14th filter's centre.
        assertThat(loudest).isBetween(12, 14);
        assertThat(frame[loudest] - frame[30]).as("a filter far from the tone is far quieter").isGreaterThan(10);
    }

    @Test
    void everyFrameOfASteadySignalHasTheSameCepstra() {
        float[] tone = new float[8_000];
        for (int i = 0; i < tone.length; i++) {
            tone[i] = (float) (0.3 * Math.sin(2 * Math.PI * 300 * i / 16_000.0) + 0.2 * Math.sin(2 * Math.PI * 2500 * i / 16_000.0));
        }
        double[][] mfcc = extractor.mfcc(tone);

        assertThat(mfcc[0]).hasSize(20);
        for (int c = 0; c < 20; c++) {
            assertThat(mfcc[40][c]).isCloseTo(mfcc[10][c], org.assertj.core.data.Offset.offset(0.05));
        }
    }

    @Test
    void framesAreCountedEvery10Ms() {
        assertThat(FeatureExtractor.frameCount(399)).isZero();
        assertThat(FeatureExtractor.frameCount(400)).isOne();
        assertThat(FeatureExtractor.frameCount(16_000)).isEqualTo(98);
    }
}
