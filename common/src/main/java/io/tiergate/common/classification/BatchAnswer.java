package io.tiergate.common.classification;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What an LLM's answer to one batch yielded: the lines it validly decided, and what was wrong with the
 * rest (keyed by line id; a null key is a problem with the answer as a whole).
 */
public record BatchAnswer(Map<Integer, Decision> decided, Map<Integer, String> problems) {

    public record Decision(String label, double confidence) {}

    /** The requested ids that got no valid answer. */
    public Set<Integer> undecided(Iterable<Integer> requested) {
        Set<Integer> missing = new TreeSet<>();
        requested.forEach(id -> {
            if (!decided.containsKey(id)) {
                missing.add(id);
            }
        });
        return missing;
    }
}
