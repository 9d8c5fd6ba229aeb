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

    @Test
    void kaldisFilterbanksReachTheNyquistFrequencyWhereTheEmbeddedEnginesStopAt7600Hz() {
        float[] tone = new float[8_000];
        for (int i = 0; i < tone.length; i++) {
            tone[i] = (float) (0.5 * Math.sin(2 * Math.PI * 7_850 * i / 16_000.0));
        }
        double[] kaldi = new FeatureExtractor(80, 1, 8_000, FeatureExtractor.Window.HAMMING).logMel(tone)[20];
        double[] embedded = new FeatureExtractor(80, 1).logMel(tone)[20];

        assertThat(kaldi[79] - kaldi[40]).as("the top filter of 20 Hz - 8 kHz holds the 7.85 kHz tone").isGreaterThan(10);
        assertThat(embedded[79]).as("the top filter of 20 Hz - 7.6 kHz is below it").isLessThan(kaldi[79] - 5);
    }

    @Test
    void thePoveyWindowTapersHarderThanHammingSoItLeaksLessIntoFarFilters() {
        float[] tone = new float[8_000];
        for (int i = 0; i < tone.length; i++) {
            tone[i] = (float) (0.5 * Math.sin(2 * Math.PI * 1_000 * i / 16_000.0));
        }
        double[] hamming = new FeatureExtractor(80, 1, 8_000, FeatureExtractor.Window.HAMMING).logMel(tone)[20];
        double[] povey = new FeatureExtractor(80, 1, 8_000, FeatureExtractor.Window.POVEY).logMel(tone)[20];

        assertThat(povey).isNotEqualTo(hamming);
        // Povey's window goes to zero at its ends, Hamming's to 0.08: far from the tone, less spectral leakage.
        assertThat(povey[70] - povey[27]).isLessThan(hamming[70] - hamming[27]);
    }

    @Test
    void aTopFilterEdgeAboveNyquistIsRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> new FeatureExtractor(80, 1, 8_001, FeatureExtractor.Window.HAMMING))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("8001");
    }
}
