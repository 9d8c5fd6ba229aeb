package io.tiergate.classification.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiergate.common.classification.BuiltInTasks;
import io.tiergate.common.classification.BuiltInTasks.LabelledEpisode;
import io.tiergate.common.classification.ClassificationInput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * The hand-labelled IC/OOC episodes: C1E104 (the dev set in the shared test assets, never copied into the repo) and
 * the episodes shipped with the built-in task. Every line carries its speaker, the turns before and after it as
 * context and the game master's role, as the built-in task's examples do.
 */
final class IcOocEpisodes {

    static final Path ASSETS = Path.of("../../shared/assets/rpg");
    static final String DEV_EPISODE = "C1E104";

    private IcOocEpisodes() {}

    static boolean present() {
        return Files.isRegularFile(ASSETS.resolve("icooc_dev.tsv")) && Files.isRegularFile(ASSETS.resolve("crd3_C1E104.json"));
    }

    /** Every labelled episode by name: the dev set's first, then the shipped ones. */
    static Map<String, LabelledEpisode> all() throws IOException {
        Map<String, LabelledEpisode> episodes = new LinkedHashMap<>();
        episodes.put(DEV_EPISODE, devEpisode());
        BuiltInTasks.IC_OOC_EPISODES.forEach(name -> episodes.put(name, BuiltInTasks.icOocEpisode(name)));
        return episodes;
    }

    /** Every turn's text in the dev set's episode, its utterances joined by a space, and each utterance alone. */
    static List<String> devEpisodeTexts() throws IOException {
        List<String> texts = new ArrayList<>();
        for (JsonNode turn : devTurns()) {
            texts.add(utterances(turn));
            turn.get("UTTERANCES").forEach(utterance -> texts.add(utterance.asText()));
        }
        return texts;
    }

    /** The dev set's labelled lines, and the whole episode as one conversation whose labelled turns they are. */
    static LabelledEpisode devEpisode() throws IOException {
        TreeMap<Integer, String[]> turns = new TreeMap<>();
        for (JsonNode turn : devTurns()) {
            turns.put(turn.get("NUMBER").asInt(), new String[] {speakers(turn), utterances(turn).replace('\t', ' ').replace('\n', ' ')});
        }
        // Raw TSV: no quote handling, many texts start with '"'.
        List<String> rows = Files.readAllLines(ASSETS.resolve("icooc_dev.tsv"), StandardCharsets.UTF_8);
        List<String[]> labelled = rows.subList(1, rows.size()).stream().filter(row -> !row.isBlank())
                .map(row -> row.split("\t", 5)).toList();
        return BuiltInTasks.icOocEpisode(DEV_EPISODE, turns, labelled);
    }

    /**
     * The lines as the session pipeline sends them: speakers (of the line and in its context) replaced by diarization
     * labels {@code SPEAKER_00}, {@code SPEAKER_01}, ... in order of appearance, and no role, which a diarizer does not know.
     */
    static List<ClassificationInput> diarized(List<ClassificationInput> lines) {
        Map<String, String> labels = new HashMap<>();
        List<ClassificationInput> diarized = new ArrayList<>(lines.size());
        for (ClassificationInput line : lines) {
            String context = diarizedTurn(line.context(), labels);
            String speaker = line.speaker() == null ? null : diarizedSpeakers(line.speaker(), labels);
            diarized.add(new ClassificationInput(line.text(), speaker, context, diarizedTurn(line.contextAfter(), labels), null));
        }
        return diarized;
    }

    /** The lines with neither context nor neighbours. */
    static List<ClassificationInput> withoutContext(List<ClassificationInput> lines) {
        return lines.stream().map(line -> new ClassificationInput(line.text(), line.speaker(), null, null, line.role())).toList();
    }

    private static String diarizedTurn(String turn, Map<String, String> labels) {
        if (turn == null) {
            return null;
        }
        int colon = turn.indexOf(": ");
        return diarizedSpeakers(turn.substring(0, colon), labels) + turn.substring(colon);
    }

    private static String diarizedSpeakers(String speakers, Map<String, String> labels) {
        return Arrays.stream(speakers.split(","))
                .map(name -> labels.computeIfAbsent(name.trim(), unused -> String.format("SPEAKER_%02d", labels.size())))
                .collect(Collectors.joining(","));
    }

    private static JsonNode devTurns() throws IOException {
        return new ObjectMapper().readTree(ASSETS.resolve("crd3_C1E104.json").toFile()).get("TURNS");
    }

    private static String speakers(JsonNode turn) {
        return String.join(",", StreamSupport.stream(turn.get("NAMES").spliterator(), false).map(JsonNode::asText).toList());
    }

    private static String utterances(JsonNode turn) {
        return String.join(" ", StreamSupport.stream(turn.get("UTTERANCES").spliterator(), false).map(JsonNode::asText).toList());
    }
}
