package io.tiergate.transcription.engine;

import io.tiergate.common.transcription.TranscriptWord;
import java.util.List;

/**
 * One chunk's text.
 *
 * @param language the language it heard, named as {@code verbose_json} names it ({@code english}), or null when it
 *                 does not say
 * @param segments timed stretches of text, in order, times from the chunk's start
 */
public record EngineOutput(String language, List<Segment> segments) {

    /**
     * @param avgLogprob   the mean log probability of its tokens or words
     * @param noSpeechProb how likely the stretch is not speech at all
     * @param words        its words with times from the chunk's start
     */
    public record Segment(double start, double end, String text, double avgLogprob, double noSpeechProb,
                          List<TranscriptWord> words) {

        /** A stretch made of timed words (as the CMU decoders give them): from its first word's start to its last's end. */
        public static Segment ofWords(List<TranscriptWord> words, double avgLogprob) {
            StringBuilder text = new StringBuilder();
            words.forEach(word -> text.append(' ').append(word.word()));
            return new Segment(words.get(0).start(), words.get(words.size() - 1).end(), text.toString(), avgLogprob, 0,
                    List.copyOf(words));
        }
    }
}
