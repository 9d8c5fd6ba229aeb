package io.tiergate.diarization.engine.embedded.features;

import org.apache.commons.math3.transform.DftNormalization;
import org.apache.commons.math3.transform.FastFourierTransformer;
import org.apache.commons.math3.transform.TransformType;

/**
 * Log-mel filterbank energies and MFCCs of 16 kHz audio, Kaldi-style: 25 ms Hamming frames every 10 ms, pre-emphasis,
 * a 512-point FFT, triangular mel filters from 20 Hz to 7.6 kHz, and a DCT-II of the log energies. Neural speaker
 * embedders take Kaldi's own filterbanks, up to 8 kHz and, for some, with Kaldi's "Povey" window: the
 * {@linkplain #FeatureExtractor(int, int, double, Window) full constructor} takes both. Thread-safe: the filters and
 * windows are computed once, each call keeps its own buffers.
 */
public final class FeatureExtractor {

    public static final int SAMPLE_RATE = 16_000;
    /** Samples per frame: 25 ms. */
    public static final int FRAME = 400;
    /** Samples between frame starts: 10 ms, so 100 frames a second. */
    public static final int HOP = 160;
    public static final double FRAMES_PER_SECOND = SAMPLE_RATE / (double) HOP;

    private static final int FFT = 512;
    private static final int BINS = FFT / 2 + 1;
    private static final double PRE_EMPHASIS = 0.97;
    private static final double LOW_HZ = 20;
    /** The embedded engine's top filter edge, chosen by measured DER. */
    private static final double HIGH_HZ = 7600;
    /** Keeps log() finite on digital silence. */
    private static final double ENERGY_FLOOR = 1e-10;

    private final int mels;
    private final int ceps;
    private final double[] window = new double[FRAME];
    private final double[][] filters;
    private final int[] filterFirstBin;
    private final double[][] dct;

    /** The window each frame is weighted with before its FFT. */
    public enum Window {
        HAMMING,
        /** Kaldi's default: a Hann window raised to the power 0.85. */
        POVEY
    }

    /**
     * Hamming-windowed features up to 7.6 kHz, as the embedded engine takes them.
     *
     * @param mels how many mel filters
     * @param ceps how many cepstral coefficients, c0 (the frame's log energy, more or less) first
     */
    public FeatureExtractor(int mels, int ceps) {
        this(mels, ceps, HIGH_HZ, Window.HAMMING);
    }

    /**
     * @param mels   how many mel filters
     * @param ceps   how many cepstral coefficients, c0 (the frame's log energy, more or less) first
     * @param highHz the upper edge of the highest filter (Kaldi's default is the Nyquist frequency, 8 kHz)
     * @param shape  the window each frame is weighted with
     */
    public FeatureExtractor(int mels, int ceps, double highHz, Window shape) {
        if (highHz <= LOW_HZ || highHz > SAMPLE_RATE / 2.0) {
            throw new IllegalArgumentException("the highest filter edge must be above " + LOW_HZ + " Hz and at most "
                    + SAMPLE_RATE / 2 + " Hz, not " + highHz);
        }
        if (ceps > mels) {
            throw new IllegalArgumentException("cannot take " + ceps + " cepstra from " + mels + " filters");
        }
        this.mels = mels;
        this.ceps = ceps;
        for (int i = 0; i < FRAME; i++) {
            double cosine = Math.cos(2 * Math.PI * i / (FRAME - 1));
            window[i] = shape == Window.HAMMING ? 0.54 - 0.46 * cosine : Math.pow(0.5 - 0.5 * cosine, 0.85);
        }
        filters = new double[mels][];
        filterFirstBin = new int[mels];
        double lowMel = mel(LOW_HZ);
        double highMel = mel(highHz);
        double[] edges = new double[mels + 2];
        for (int m = 0; m < edges.length; m++) {
            edges[m] = lowMel + (highMel - lowMel) * m / (mels + 1);
        }
        for (int m = 0; m < mels; m++) {
            int first = -1;
            double[] weights = new double[BINS];
            for (int bin = 0; bin < BINS; bin++) {
                double binMel = mel(bin * (double) SAMPLE_RATE / FFT);
                double weight = binMel <= edges[m] || binMel >= edges[m + 2] ? 0
                        : binMel <= edges[m + 1] ? (binMel - edges[m]) / (edges[m + 1] - edges[m])
                        : (edges[m + 2] - binMel) / (edges[m + 2] - edges[m + 1]);
                if (weight > 0 && first < 0) {
                    first = bin;
                }
                weights[bin] = weight;
            }
            int last = BINS - 1;
            while (last > 0 && weights[last] == 0) {
                last--;
            }
            filterFirstBin[m] = Math.max(first, 0);
            filters[m] = java.util.Arrays.copyOfRange(weights, filterFirstBin[m], Math.max(last + 1, filterFirstBin[m]));
        }
        dct = new double[ceps][mels];
        for (int c = 0; c < ceps; c++) {
            double scale = Math.sqrt((c == 0 ? 1.0 : 2.0) / mels);
            for (int m = 0; m < mels; m++) {
                dct[c][m] = scale * Math.cos(Math.PI * c * (m + 0.5) / mels);
            }
        }
    }

    public int mels() {
        return mels;
    }

    public int ceps() {
        return ceps;
    }

    /** How many whole frames {@code samples} samples hold. */
    public static int frameCount(long samples) {
        return samples < FRAME ? 0 : (int) ((samples - FRAME) / HOP + 1);
    }

    /** MFCCs of every whole frame of {@code samples}: one row per frame, c0 first. */
    public double[][] mfcc(float[] samples) {
        int frames = frameCount(samples.length);
        double[][] out = new double[frames][];
        double[][] buffer = new double[2][FFT];
        double[] logMel = new double[mels];
        for (int f = 0; f < frames; f++) {
            logMel(samples, f * HOP, buffer, logMel);
            out[f] = cepstra(logMel);
        }
        return out;
    }

    /** Log-mel energies of every whole frame of {@code samples}: one row per frame. */
    public double[][] logMel(float[] samples) {
        int frames = frameCount(samples.length);
        double[][] out = new double[frames][];
        double[][] buffer = new double[2][FFT];
        for (int f = 0; f < frames; f++) {
            out[f] = new double[mels];
            logMel(samples, f * HOP, buffer, out[f]);
        }
        return out;
    }

    private double[] cepstra(double[] logMel) {
        double[] c = new double[ceps];
        for (int k = 0; k < ceps; k++) {
            double sum = 0;
            double[] basis = dct[k];
            for (int m = 0; m < mels; m++) {
                sum += basis[m] * logMel[m];
            }
            c[k] = sum;
        }
        return c;
    }

    private void logMel(float[] samples, int offset, double[][] buffer, double[] into) {
        double[] re = buffer[0];
        double[] im = buffer[1];
        double mean = 0;
        for (int i = 0; i < FRAME; i++) {
            mean += samples[offset + i];
        }
        mean /= FRAME;
        // DC removed, then pre-emphasis (the first sample against itself, as Kaldi does) and the window.
        double previous = samples[offset] - mean;
        for (int i = 0; i < FRAME; i++) {
            double x = samples[offset + i] - mean;
            re[i] = (x - PRE_EMPHASIS * previous) * window[i];
            previous = x;
        }
        java.util.Arrays.fill(re, FRAME, FFT, 0);
        java.util.Arrays.fill(im, 0);
        FastFourierTransformer.transformInPlace(buffer, DftNormalization.STANDARD, TransformType.FORWARD);
        for (int m = 0; m < mels; m++) {
            double[] weights = filters[m];
            int first = filterFirstBin[m];
            double energy = 0;
            for (int j = 0; j < weights.length; j++) {
                int bin = first + j;
                energy += weights[j] * (re[bin] * re[bin] + im[bin] * im[bin]);
            }
            into[m] = Math.log(energy + ENERGY_FLOOR);
        }
    }

    private static double mel(double hz) {
        return 1127 * Math.log(1 + hz / 700);
    }
}
