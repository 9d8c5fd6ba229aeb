package io.tiergate.transcription.engine.sphinx4;

import edu.cmu.sphinx.api.AbstractSpeechRecognizer;
import edu.cmu.sphinx.api.Configuration;
import edu.cmu.sphinx.api.Context;
import edu.cmu.sphinx.recognizer.Recognizer;
import edu.cmu.sphinx.util.TimeFrame;
import java.io.IOException;
import java.io.InputStream;

/**
 * Sphinx 4's stream recognizer with a bounded search beam. {@code StreamSpeechRecognizer} gives no way to change a
 * property of its search, and changing the global {@code absoluteBeamWidth} re-initialises every component already
 * built (its front end loses its data source), so the beam is set on the active-list factories the search draws on.
 */
final class BoundedSpeechRecognizer extends AbstractSpeechRecognizer {

    BoundedSpeechRecognizer(Configuration configuration, int absoluteBeamWidth) throws IOException {
        super(contextWithBeam(configuration, absoluteBeamWidth));
    }

    private static Context contextWithBeam(Configuration configuration, int absoluteBeamWidth) throws IOException {
        Context context = new Context(configuration);
        context.setLocalProperty("standardActiveListFactory->absoluteBeamWidth", absoluteBeamWidth);
        context.setLocalProperty("fastmatchActiveList->absoluteBeamWidth", absoluteBeamWidth);
        return context;
    }

    void startRecognition(InputStream stream) {
        recognizer.allocate();
        context.setSpeechSource(stream, TimeFrame.INFINITE);
    }

    /** Also after a failed recognition, so that the recognizer can take the next chunk. */
    void stopRecognition() {
        if (recognizer.getState() != Recognizer.State.DEALLOCATED) {
            recognizer.deallocate();
        }
    }
}
