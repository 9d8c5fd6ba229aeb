package io.tiergate.common.classification;

import java.util.List;

/**
 * Consecutive turns of one recorded conversation (a stretch of an episode, a meeting), in order, each with the turns
 * before and after it as its context, as callers send a transcript whole. A turn's {@code label} is {@code null} where
 * nobody labelled it: it still tells its labelled neighbours what is going on around them.
 *
 * @param source the recording the turns come from, so that a model can be tried on recordings it has not seen
 */
public record Conversation(String source, List<LabeledExample> turns) {

    public Conversation {
        turns = List.copyOf(turns);
    }
}
