package io.tiergate.classification.local;

import io.tiergate.common.classification.ClassificationInput;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * Turns lines into classifier features: the embeddings of the line and of the turns just before and after it, who
 * speaks (a name hashed into a few buckets; whether the speaker is the game master, named or inferred; whether a
 * neighbour has the same speaker) and {@link LineCues} of all three; and, for the game master's lines only, the line's
 * embedding once more. Who speaks and what surrounds a line decide many short lines ("Okay.") that the text alone
 * cannot. The same words mean one thing from the game master, who narrates, voices every other character and runs the
 * rules, and another from a player; a linear model weighs a feature the same for every line, and the copy lets it
 * learn the game master's weighting of the words apart from the players'.
 *
 * <p>Neighbouring turns come as {@code SPEAKER: text}; only their text is embedded, and every distinct text once per
 * call, so a transcript sent whole, each line with its neighbours as context, costs one embedding per line.
 */
public final class LineFeatures {

    static final int SPEAKER_BUCKETS = 32;
    /** Turn flags: the line, the turn before and the turn after are the game master's; a neighbour has the line's speaker. */
    private static final int TURN_FLAGS = 5;
    private static final float SPEAKER_WEIGHT = 0.3f;
    private static final float CUE_WEIGHT = 0.3f;
    /** A request naming no game master takes the speaker who says most as one from this many lines and speakers. */
    private static final int INFER_GAME_MASTER_FROM_LINES = 20;
    private static final int INFER_GAME_MASTER_FROM_SPEAKERS = 3;
    private static final Set<String> GAME_MASTER = Set.of("gm", "dm", "game master", "dungeon master");
    /** Diarization labels name a voice within one recording only, so they say nothing a model trained on others could use. */
    private static final Pattern DIARIZATION_LABEL = Pattern.compile("(?i)speaker[_ ]?\\d+");
    private static final Pattern TURN = Pattern.compile("(?s)\\s*([^:\\n]{1,80}):\\s+(.*)");

    private LineFeatures() {}

    private static int dimension(int embedding) {
        return 3 * embedding + SPEAKER_BUCKETS + TURN_FLAGS + 3 * LineCues.COUNT + embedding;
    }

    public static float[][] of(List<ClassificationInput> lines, SentenceEncoder encoder, int maxTokens) {
        return of(lines, encoder.dimension(), texts -> encoder.encode(texts, maxTokens));
    }

    /** As {@link #of(List, SentenceEncoder, int)}, with {@code embed} giving the unit-length embeddings of a list of texts. */
    static float[][] of(List<ClassificationInput> lines, int size, Function<List<String>, float[][]> embed) {
        List<Turn> before = new ArrayList<>(lines.size());
        List<Turn> after = new ArrayList<>(lines.size());
        Map<String, Integer> distinct = new LinkedHashMap<>();
        // A neighbour is the game master when its speaker is so named, or is the speaker of a line in the request given
        // that role, or else the one who says most (see mostWords).
        Map<String, Boolean> gameMasters = new HashMap<>();
        Map<String, Integer> words = new HashMap<>();
        for (ClassificationInput line : lines) {
            distinct.putIfAbsent(line.text(), distinct.size());
            if (line.speaker() != null) {
                gameMasters.merge(normalized(line.speaker()), isGameMaster(line.role()) || isGameMaster(line.speaker()), Boolean::logicalOr);
                words.merge(normalized(line.speaker()), LineCues.words(line.text()), Integer::sum);
            }
        }
        String inferredGameMaster = gameMasters.containsValue(true) ? null : mostWords(lines.size(), words);
        if (inferredGameMaster != null) {
            gameMasters.put(inferredGameMaster, true);
        }
        for (ClassificationInput line : lines) {
            Turn previous = Turn.parse(line.context());
            Turn next = Turn.parse(line.contextAfter());
            before.add(previous);
            after.add(next);
            for (Turn turn : new Turn[] {previous, next}) {
                if (turn != null) {
                    distinct.putIfAbsent(turn.text(), distinct.size());
                }
            }
        }
        float[][] embeddings = embed.apply(new ArrayList<>(distinct.keySet()));
        float[][] features = new float[lines.size()][];
        for (int i = 0; i < lines.size(); i++) {
            ClassificationInput line = lines.get(i);
            Turn previous = before.get(i);
            Turn next = after.get(i);
            float[] row = new float[dimension(size)];
            float[] lineEmbedding = embeddings[distinct.get(line.text())];
            System.arraycopy(lineEmbedding, 0, row, 0, size);
            if (previous != null) {
                System.arraycopy(embeddings[distinct.get(previous.text())], 0, row, size, size);
            }
            if (next != null) {
                System.arraycopy(embeddings[distinct.get(next.text())], 0, row, 2 * size, size);
            }
            int offset = 3 * size;
            if (line.speaker() != null) {
                for (String speaker : line.speaker().split(",")) {
                    if (!speaker.isBlank() && !DIARIZATION_LABEL.matcher(speaker.trim()).matches()) {
                        row[offset + bucket(speaker)] = SPEAKER_WEIGHT;
                    }
                }
            }
            offset += SPEAKER_BUCKETS;
            String speaker = line.speaker() == null ? null : normalized(line.speaker());
            boolean gameMaster = isGameMaster(line.role()) || isGameMaster(line.speaker())
                    || speaker != null && speaker.equals(inferredGameMaster);
            row[offset] = gameMaster ? SPEAKER_WEIGHT : 0;
            row[offset + 1] = previous != null && previous.isGameMaster(gameMasters) ? SPEAKER_WEIGHT : 0;
            row[offset + 2] = next != null && next.isGameMaster(gameMasters) ? SPEAKER_WEIGHT : 0;
            row[offset + 3] = previous != null && speaker != null && speaker.equals(previous.speaker()) ? SPEAKER_WEIGHT : 0;
            row[offset + 4] = next != null && speaker != null && speaker.equals(next.speaker()) ? SPEAKER_WEIGHT : 0;
            offset += TURN_FLAGS;
            LineCues.write(line.text(), row, offset, CUE_WEIGHT);
            LineCues.write(previous == null ? null : previous.text(), row, offset + LineCues.COUNT, CUE_WEIGHT);
            LineCues.write(next == null ? null : next.text(), row, offset + 2 * LineCues.COUNT, CUE_WEIGHT);
            offset += 3 * LineCues.COUNT;
            if (gameMaster) {
                System.arraycopy(lineEmbedding, 0, row, offset, size);
            }
            features[i] = row;
        }
        return features;
    }

    /** The text of a neighbouring turn as callers send it ({@code SPEAKER: text}, or only text); null for none. */
    static String turnText(String context) {
        Turn turn = Turn.parse(context);
        return turn == null ? null : turn.text();
    }

    /**
     * The speaker who says most, when a request without a named game master is a session's worth of lines among several
     * speakers: at a tabletop the game master narrates, voices every other character and runs the rules, and so talks
     * far more than any player. Diarized transcripts carry no names or roles, and without this their game master would
     * look like a player to a model trained on sessions where the role is known.
     */
    private static String mostWords(int lineCount, Map<String, Integer> words) {
        if (lineCount < INFER_GAME_MASTER_FROM_LINES || words.size() < INFER_GAME_MASTER_FROM_SPEAKERS) {
            return null;
        }
        return words.entrySet().stream().filter(entry -> !entry.getKey().contains(","))
                .max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
    }

    private static boolean isGameMaster(String roleOrSpeaker) {
        return roleOrSpeaker != null && GAME_MASTER.contains(normalized(roleOrSpeaker));
    }

    private static String normalized(String speaker) {
        return speaker.trim().toLowerCase(Locale.ROOT);
    }

    private static int bucket(String speaker) {
        CRC32 crc = new CRC32();
        crc.update(normalized(speaker).getBytes(StandardCharsets.UTF_8));
        return (int) (crc.getValue() % SPEAKER_BUCKETS);
    }

    /** A neighbouring turn: {@code SPEAKER: text}, or only text (then its speaker is unknown). */
    private record Turn(String speaker, String text) {

        static Turn parse(String context) {
            if (context == null || context.isBlank()) {
                return null;
            }
            Matcher matcher = TURN.matcher(context);
            return matcher.matches() && !matcher.group(2).isBlank()
                    ? new Turn(normalized(matcher.group(1)), matcher.group(2))
                    : new Turn(null, context);
        }

        boolean isGameMaster(Map<String, Boolean> gameMasters) {
            return speaker != null && (GAME_MASTER.contains(speaker) || gameMasters.getOrDefault(speaker, false));
        }
    }
}
