package io.tiergate.common.diarization;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A stretch in which two or more speakers talk at once.
 *
 * @param start    seconds from the start of the recording
 * @param end      seconds from the start of the recording
 * @param speakers who talks in it, in label order; null when the engine does not say
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OverlappedSpeech(double start, double end, List<String> speakers) {

    /**
     * The overlapped speech in the turns: each longest stretch in which at least two speakers talk, with everyone who
     * talks in it. Turns that merely touch (one ends as the other starts) do not overlap, nor do turns of one speaker.
     */
    public static List<OverlappedSpeech> in(List<SpeakerTurn> turns) {
        record Boundary(double time, String speaker, int change) {
        }
        List<Boundary> boundaries = new ArrayList<>();
        for (SpeakerTurn turn : turns) {
            if (turn.end() > turn.start()) {
                boundaries.add(new Boundary(turn.start(), turn.speaker(), 1));
                boundaries.add(new Boundary(turn.end(), turn.speaker(), -1));
            }
        }
        // Ends before starts at one instant: a turn that starts as another ends does not overlap it.
        boundaries.sort(Comparator.comparingDouble(Boundary::time).thenComparingInt(Boundary::change));

        Map<String, Integer> openTurns = new HashMap<>();
        List<OverlappedSpeech> overlaps = new ArrayList<>();
        TreeSet<String> speakers = null;
        double overlapStart = 0;
        for (Boundary boundary : boundaries) {
            openTurns.merge(boundary.speaker(), boundary.change(),
                    (open, change) -> open + change == 0 ? null : open + change);
            boolean overlapping = openTurns.size() >= 2;
            if (overlapping && speakers == null) {
                speakers = new TreeSet<>();
                overlapStart = boundary.time();
            }
            if (overlapping) {
                speakers.addAll(openTurns.keySet());
            } else if (speakers != null) {
                overlaps.add(new OverlappedSpeech(overlapStart, boundary.time(), List.copyOf(speakers)));
                speakers = null;
            }
        }
        return overlaps;
    }
}
