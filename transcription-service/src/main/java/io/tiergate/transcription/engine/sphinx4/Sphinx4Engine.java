package io.tiergate.transcription.engine.sphinx4;

import edu.cmu.sphinx.api.Configuration;
import edu.cmu.sphinx.api.SpeechResult;
import edu.cmu.sphinx.result.WordResult;
import io.tiergate.audio.Pcm16;
import io.tiergate.common.transcription.TranscriptWord;
import io.tiergate.transcription.config.TranscriptionConfig;
import io.tiergate.transcription.engine.EngineOutput;
import io.tiergate.transcription.engine.EngineRequest;
import io.tiergate.transcription.engine.EngineStatus;
import io.tiergate.transcription.engine.TranscriptionEngine;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * CMU Sphinx 4 in the JVM, with the en-us model of its data jar: no native code at all, but about ten times slower
 * than PocketSphinx on the same model. One recognizer per slot, since a recognizer decodes one stream at a time.
 */
public final class Sphinx4Engine implements TranscriptionEngine {

    private final Configuration configuration;
    private final int absoluteBeamWidth;
    private final int slots;
    private final BlockingQueue<BoundedSpeechRecognizer> idle = new LinkedBlockingQueue<>();
    private final EngineStatus status;
    private int created;

    public Sphinx4Engine(TranscriptionConfig.Sphinx4 config, int slots) {
        this.configuration = new Configuration();
        configuration.setAcousticModelPath(config.acousticModel());
        configuration.setDictionaryPath(config.dictionary());
        configuration.setLanguageModelPath(config.languageModel());
        this.absoluteBeamWidth = config.absoluteBeamWidth();
        this.slots = slots;
        this.status = loadFirst(config);
    }

    @Override
    public String name() {
        return "sphinx4";
    }

    @Override
    public Set<String> languages() {
        return Set.of("en");
    }

    @Override
    public boolean wordTimings() {
        return true;
    }

    @Override
    public boolean translates() {
        return false;
    }

    @Override
    public int slots() {
        return slots;
    }

    @Override
    public EngineStatus status() {
        return status;
    }

    @Override
    public EngineOutput transcribe(float[] samples, EngineRequest request) throws IOException {
        return recognize(new ByteArrayInputStream(Pcm16.encode(samples)));
    }

    /** Recognises 16 kHz 16-bit mono PCM; a recognizer that failed on it is stopped, ready for the next chunk. */
    EngineOutput recognize(InputStream pcm) throws IOException {
        BoundedSpeechRecognizer recognizer = take();
        try {
            recognizer.startRecognition(pcm);
            List<EngineOutput.Segment> segments = new ArrayList<>();
            for (SpeechResult result; (result = recognizer.getResult()) != null; ) {
                List<TranscriptWord> words = new ArrayList<>();
                double logprobs = 0;
                for (WordResult word : result.getWords()) {
                    if (!word.isFiller() && !word.getWord().getSpelling().startsWith("<")) {
                        words.add(new TranscriptWord(word.getWord().getSpelling(), word.getTimeFrame().getStart() / 1000.0,
                                word.getTimeFrame().getEnd() / 1000.0));
                        logprobs += Math.log(Math.max(1e-6, word.getConfidence()));
                    }
                }
                if (!words.isEmpty()) {
                    segments.add(EngineOutput.Segment.ofWords(words, logprobs / words.size()));
                }
            }
            return new EngineOutput("english", segments);
        } catch (RuntimeException e) {
            throw new IOException("sphinx4 failed on a chunk: " + e.getMessage(), e);
        } finally {
            recognizer.stopRecognition();
            idle.add(recognizer);
        }
    }

    private BoundedSpeechRecognizer take() throws IOException {
        BoundedSpeechRecognizer recognizer = idle.poll();
        if (recognizer != null) {
            return recognizer;
        }
        synchronized (this) {
            if (created < slots) {
                created++;
                return new BoundedSpeechRecognizer(configuration, absoluteBeamWidth);
            }
        }
        try {
            return idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a recognizer", e);
        }
    }

    private EngineStatus loadFirst(TranscriptionConfig.Sphinx4 config) {
        try {
            idle.add(new BoundedSpeechRecognizer(configuration, absoluteBeamWidth));
            created = 1;
            return EngineStatus.ready("sphinx4 " + config.acousticModel());
        } catch (IOException | RuntimeException e) {
            return EngineStatus.broken("sphinx4 could not load its model " + config.acousticModel() + ": " + e.getMessage());
        }
    }
}
