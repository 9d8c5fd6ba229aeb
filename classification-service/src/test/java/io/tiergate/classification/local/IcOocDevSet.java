package io.tiergate.classification.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiergate.common.classification.ClassificationInput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

/**
 * The hand-labelled IC/OOC dev set from the shared test assets (never copied into the repo), each line with
 * its speaker and, as context, the turn before it in the episode transcript.
 */
record IcOocDevSet(List<ClassificationInput> lines, List<String> labels) {

    static final Path ASSETS = Path.of("../../shared/assets/rpg");

    static boolean present() {
        return Files.isRegularFile(ASSETS.resolve("icooc_dev.tsv")) && Files.isRegularFile(ASSETS.resolve("crd3_C1E104.json"));
    }

    /** Every turn's text in the episode, its utterances joined by a space. */
    static List<String> episodeTexts() throws IOException {
        List<String> texts = new ArrayList<>();
        for (JsonNode turn : new ObjectMapper().readTree(ASSETS.resolve("crd3_C1E104.json").toFile()).get("TURNS")) {
            texts.add(String.join(" ", StreamSupport.stream(turn.get("UTTERANCES").spliterator(), false).map(JsonNode::asText).toList()));
            turn.get("UTTERANCES").forEach(utterance -> texts.add(utterance.asText()));
        }
        return texts;
    }

    static IcOocDevSet load() throws IOException {
        JsonNode episode = new ObjectMapper().readTree(ASSETS.resolve("crd3_C1E104.json").toFile());
        Map<Integer, String> turns = new HashMap<>();
        for (JsonNode turn : episode.get("TURNS")) {
            String speaker = String.join(",", StreamSupport.stream(turn.get("NAMES").spliterator(), false).map(JsonNode::asText).toList());
            String text = String.join(" ", StreamSupport.stream(turn.get("UTTERANCES").spliterator(), false).map(JsonNode::asText).toList())
                    .replace('\t', ' ').replace('\n', ' ');
            turns.put(turn.get("NUMBER").asInt(), speaker + ": " + text);
        }
        List<ClassificationInput> lines = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        // Raw TSV: no quote handling, many texts start with '"'.
        List<String> rows = Files.readAllLines(ASSETS.resolve("icooc_dev.tsv"), StandardCharsets.UTF_8);
        for (String row : rows.subList(1, rows.size())) {
            if (row.isBlank()) {
                continue;
            }
            String[] columns = row.split("\t", 5);
            int turn = Integer.parseInt(columns[1]);
            lines.add(new ClassificationInput(columns[4], columns[2], turns.get(turn - 1)));
            labels.add(columns[3]);
        }
        return new IcOocDevSet(lines, labels);
    }
}
