package io.tiergate.audio.vad;

import io.tiergate.audio.SampleSource;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A model that scores how likely each 32 ms window of 16 kHz audio is speech. The model is shared by every recording
 * and thread; what it remembers of one recording lives in that recording's {@link Stream}.
 */
public interface VoiceActivityModel {

    /** Samples per window: 32 ms at 16 kHz, the only window Silero VAD takes at that rate. */
    int WINDOW_SAMPLES = 512;

    /** Starts scoring one recording, from its first window. */
    Stream openStream();

    /** One recording's scoring: fed its windows in order, by one thread at a time. */
    interface Stream extends AutoCloseable {

        /**
         * The probability that the {@link #WINDOW_SAMPLES} samples from {@code offset} are speech, in [0, 1].
         *
         * @throws IllegalStateException when the model fails to run: a fault of the service, not of the audio
         */
        float speechProbability(float[] samples, int offset);

        @Override
        void close();
    }

    /** The speech regions of a whole recording, read from {@code source} to its end. */
    default List<SpeechRegion> speechRegions(SampleSource source, VadSettings settings) throws IOException {
        List<SpeechRegion> regions = new ArrayList<>();
        long[] start = {0};
        SpeechSegmenter segmenter = new SpeechSegmenter(settings, new SpeechSegmenter.Listener() {
            @Override
            public void speechStarted(long sample) {
                start[0] = sample;
            }

            @Override
            public void speechEnded(long sample) {
                regions.add(new SpeechRegion(start[0], sample));
            }
        });
        float[] window = new float[WINDOW_SAMPLES];
        long samplesRead = 0;
        try (Stream stream = openStream()) {
            for (int read; (read = source.readFully(window, 0, WINDOW_SAMPLES)) > 0; ) {
                // The last window is padded with silence, as Silero's own code does.
                Arrays.fill(window, read, WINDOW_SAMPLES, 0f);
                samplesRead += read;
                segmenter.accept(stream.speechProbability(window, 0), samplesRead);
            }
        }
        segmenter.finish(samplesRead);
        return regions;
    }
}
