package io.tiergate.common.diarization;

import io.tiergate.common.transcription.Transcript;
import io.tiergate.common.transcription.TranscriptSegment;
import io.tiergate.common.transcription.TranscriptWord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Says who said what: puts a transcript's words and a diarization's speaker turns together.
 *
 * <ul>
 *   <li>A word goes to the speaker whose turns cover most of it. A word no turn covers (it falls in a gap, as words at
 *       a turn's edge often do) goes to the speaker of the nearest turn when that turn is at most the tolerance away,
 *       else to nobody: its speaker is null. Ties go to the speaker whose turn comes first.</li>
 *   <li>A word that overlaps overlapped speech ({@link OverlappedSpeech#in}) is marked {@code overlap}.</li>
 *   <li>Each transcript segment is split where the speaker changes. The split keeps the segment's own text, cut
 *       before the first word of each new speaker, when the words can be found in it in order; otherwise each piece's
 *       text is its words joined by spaces.</li>
 *   <li>A transcript without word times (null {@code words}) cannot be split: each segment goes whole to the speaker
 *       who talks most during it, with no words. A segment that got no words is treated the same way.</li>
 * </ul>
 * A transcript without segments but with words is taken as one segment, with the transcript's text.
 */
public final class SpeakerAlignment {

    /** How far from the nearest turn a word outside every turn may be and still go to that turn's speaker. */
    public static final double DEFAULT_NEAREST_TURN_TOLERANCE_SECONDS = 0.5;
    /** Characters a word may start after the end of the one before it in a segment's text (spaces, punctuation, a dropped word). */
    private static final int MAX_GAP = 64;

    private SpeakerAlignment() {
    }

    public static SpeakerAttributedTranscript align(Transcript transcript, List<SpeakerTurn> turns) {
        return align(transcript, turns, DEFAULT_NEAREST_TURN_TOLERANCE_SECONDS);
    }

    /**
     * @param nearestTurnTolerance seconds, 0 or more
     * @throws IllegalArgumentException when the tolerance is negative or not finite
     */
    public static SpeakerAttributedTranscript align(Transcript transcript, List<SpeakerTurn> turns,
                                                    double nearestTurnTolerance) {
        if (!(nearestTurnTolerance >= 0) || Double.isInfinite(nearestTurnTolerance)) {
            throw new IllegalArgumentException("the nearest-turn tolerance must be 0 or more seconds, was "
                    + nearestTurnTolerance);
        }
        List<SpeakerTurn> sortedTurns = turns.stream().sorted(Comparator.comparingDouble(SpeakerTurn::start)).toList();
        List<OverlappedSpeech> overlaps = OverlappedSpeech.in(turns);
        // In order of time, whatever order the caller sent them in: words are dealt to segments one after another.
        List<TranscriptWord> words = transcript.words() == null ? List.of() : transcript.words().stream()
                .sorted(Comparator.comparingDouble(TranscriptWord::start)).toList();
        List<Stretch> stretches = stretches(transcript, words);
        List<List<AttributedWord>> wordsByStretch = new ArrayList<>();
        stretches.forEach(stretch -> wordsByStretch.add(new ArrayList<>()));
        int stretch = 0;
        for (TranscriptWord word : words) {
            double middle = (word.start() + word.end()) / 2;
            while (stretch + 1 < stretches.size() && stretches.get(stretch + 1).start() <= middle) {
                stretch++;
            }
            wordsByStretch.get(stretch).add(new AttributedWord(word.word(), word.start(), word.end(),
                    speakerOf(word.start(), word.end(), sortedTurns, nearestTurnTolerance),
                    inOverlap(word.start(), word.end(), overlaps)));
        }

        List<AttributedSegment> segments = new ArrayList<>();
        for (int i = 0; i < stretches.size(); i++) {
            Stretch current = stretches.get(i);
            if (wordsByStretch.get(i).isEmpty()) {
                segments.add(new AttributedSegment(
                        speakerOf(current.start(), current.end(), sortedTurns, nearestTurnTolerance),
                        current.start(), current.end(), current.text().strip(), List.of()));
            } else {
                segments.addAll(splitAtSpeakerChanges(current, wordsByStretch.get(i)));
            }
        }
        return new SpeakerAttributedTranscript(segments);
    }

    /** Takes an OpenAI {@code diarized_json} answer as it is: its segments already name their speaker. */
    public static SpeakerAttributedTranscript fromDiarized(DiarizedTranscript diarized) {
        List<DiarizedSegment> segments = diarized.segments() == null ? List.of() : diarized.segments();
        return new SpeakerAttributedTranscript(segments.stream()
                .map(segment -> new AttributedSegment(segment.speaker(), segment.start(), segment.end(),
                        segment.text() == null ? "" : segment.text().strip(), List.of()))
                .toList());
    }

    /** A transcript segment's times and text. */
    private record Stretch(double start, double end, String text) {
    }

    private static List<Stretch> stretches(Transcript transcript, List<TranscriptWord> words) {
        List<TranscriptSegment> segments = transcript.segments() == null ? List.of() : transcript.segments();
        if (segments.isEmpty() && !words.isEmpty()) {
            String text = transcript.text() == null ? "" : transcript.text();
            return List.of(new Stretch(words.get(0).start(), words.get(words.size() - 1).end(), text));
        }
        return segments.stream()
                .map(segment -> new Stretch(segment.start(), segment.end(), segment.text() == null ? ""
                        : segment.text()))
                .sorted(Comparator.comparingDouble(Stretch::start))
                .toList();
    }

    private static List<AttributedSegment> splitAtSpeakerChanges(Stretch stretch, List<AttributedWord> words) {
        List<Integer> runStarts = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            if (i == 0 || !Objects.equals(words.get(i).speaker(), words.get(i - 1).speaker())) {
                runStarts.add(i);
            }
        }
        if (runStarts.size() == 1) {
            return List.of(new AttributedSegment(words.get(0).speaker(), stretch.start(), stretch.end(),
                    stretch.text().strip(), List.copyOf(words)));
        }
        Optional<int[]> offsets = wordOffsets(stretch.text(), words);
        List<AttributedSegment> pieces = new ArrayList<>();
        for (int run = 0; run < runStarts.size(); run++) {
            boolean first = run == 0;
            boolean last = run == runStarts.size() - 1;
            int from = runStarts.get(run);
            int to = last ? words.size() : runStarts.get(run + 1);
            List<AttributedWord> runWords = List.copyOf(words.subList(from, to));
            String text = offsets
                    .map(at -> stretch.text().substring(first ? 0 : at[from], last ? stretch.text().length() : at[to]))
                    .orElseGet(() -> String.join(" ", runWords.stream().map(word -> word.word().strip()).toList()));
            // A word may lie beyond its segment's times (a caller's transcript): the piece spans its words then.
            double start = first ? Math.min(stretch.start(), runWords.get(0).start()) : runWords.get(0).start();
            double end = runWords.get(runWords.size() - 1).end();
            pieces.add(new AttributedSegment(runWords.get(0).speaker(), start, last ? Math.max(stretch.end(), end) : end,
                    text.strip(), runWords));
        }
        return pieces;
    }

    /**
     * Where each word starts in the text, searching in order and ignoring case, each within {@link #MAX_GAP}
     * characters of where the one before it ended; empty when one is not found there. The bound keeps a transcript
     * whose words are not its text (a caller's, not an engine's) from costing time quadratic in its length.
     */
    private static Optional<int[]> wordOffsets(String text, List<AttributedWord> words) {
        int[] offsets = new int[words.size()];
        int cursor = 0;
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i).word().strip();
            int at = indexIgnoringCase(text, word, cursor, cursor + MAX_GAP);
            if (word.isEmpty() || at < 0) {
                return Optional.empty();
            }
            offsets[i] = at;
            cursor = at + word.length();
        }
        return Optional.of(offsets);
    }

    /** Where {@code word} is in {@code text}, starting at {@code from} to {@code lastStart} inclusive, or -1. */
    private static int indexIgnoringCase(String text, String word, int from, int lastStart) {
        for (int at = from; at <= lastStart && at + word.length() <= text.length(); at++) {
            if (text.regionMatches(true, at, word, 0, word.length())) {
                return at;
            }
        }
        return -1;
    }

    /** The speaker whose turns cover most of [start, end], else the nearest turn's within the tolerance, else null. */
    private static String speakerOf(double start, double end, List<SpeakerTurn> turns, double tolerance) {
        Map<String, Double> covered = new LinkedHashMap<>();
        for (SpeakerTurn turn : turns) {
            double shared = Math.min(end, turn.end()) - Math.max(start, turn.start());
            if (shared > 0) {
                covered.merge(turn.speaker(), shared, Double::sum);
            }
        }
        String speaker = null;
        double most = 0;
        for (Map.Entry<String, Double> entry : covered.entrySet()) {
            if (entry.getValue() > most) {
                speaker = entry.getKey();
                most = entry.getValue();
            }
        }
        if (speaker != null) {
            return speaker;
        }
        double nearest = Double.POSITIVE_INFINITY;
        for (SpeakerTurn turn : turns) {
            double distance = Math.max(0, Math.max(turn.start() - end, start - turn.end()));
            if (distance < nearest) {
                nearest = distance;
                speaker = turn.speaker();
            }
        }
        return nearest <= tolerance ? speaker : null;
    }

    private static boolean inOverlap(double start, double end, List<OverlappedSpeech> overlaps) {
        for (OverlappedSpeech overlap : overlaps) {
            boolean touches = end > start
                    ? Math.min(end, overlap.end()) > Math.max(start, overlap.start())
                    : overlap.start() <= start && start <= overlap.end();
            if (touches) {
                return true;
            }
        }
        return false;
    }
}
