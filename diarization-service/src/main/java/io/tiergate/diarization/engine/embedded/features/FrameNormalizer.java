package io.tiergate.diarization.engine.embedded.features;

/**
 * Mean and variance normalisation of feature frames over a recording's speech: the channel (microphone, room) shifts
 * every frame alike, so taking it out leaves mostly what differs between speakers.
 */
public final class FrameNormalizer {

    private FrameNormalizer() {
    }

    /**
     * Normalises {@code frames} in place, with statistics taken over the frames {@code speech} marks.
     *
     * @return how many frames the statistics came from (0 leaves the frames as they were)
     */
    public static int normalize(double[][] frames, boolean[] speech) {
        if (frames.length == 0) {
            return 0;
        }
        int dims = frames[0].length;
        double[] sum = new double[dims];
        double[] squares = new double[dims];
        int count = 0;
        for (int f = 0; f < frames.length; f++) {
            if (speech[f]) {
                count++;
                for (int d = 0; d < dims; d++) {
                    sum[d] += frames[f][d];
                    squares[d] += frames[f][d] * frames[f][d];
                }
            }
        }
        if (count == 0) {
            return 0;
        }
        double[] mean = new double[dims];
        double[] inverseStd = new double[dims];
        for (int d = 0; d < dims; d++) {
            mean[d] = sum[d] / count;
            inverseStd[d] = 1 / Math.sqrt(Math.max(squares[d] / count - mean[d] * mean[d], 1e-8));
        }
        for (double[] frame : frames) {
            for (int d = 0; d < dims; d++) {
                frame[d] = (frame[d] - mean[d]) * inverseStd[d];
            }
        }
        return count;
    }
}
