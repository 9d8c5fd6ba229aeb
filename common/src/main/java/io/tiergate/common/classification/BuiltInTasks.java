package io.tiergate.common.classification;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Tasks callers can name instead of defining labels: {@code ic-ooc} for tabletop RPG transcripts. */
public final class BuiltInTasks {

    public static final String IC_OOC = "ic-ooc";

    private static final String IC = "IC";
    private static final String OOC = "OOC";

    private static final ClassificationTask IC_OOC_TASK = new ClassificationTask(
            IC_OOC,
            """
            The lines come from a transcript of a tabletop role-playing game session. The game master (GM or DM) \
            narrates and voices the non-player characters; the players speak and act as their characters.
            Rules:
            - Segments outside play are OOC even when they mention the story: pre-show, announcements, sponsor reads, \
            giveaways, tech trouble, breaks, closing thanks and talk after the session ends. A "previously on" recap is IC.
            - GM lines: narration, NPC voices, descriptions of what characters perceive and prompts for in-world action \
            ("What do you do?") are IC; roll calls ("Make a perception check"), rulings, stat or reward read-outs and \
            table jokes are OOC.
            - Players speaking or acting as characters are IC, also when the action is named with game terms \
            (casting a spell, raging, taking a short rest).
            - Questions about the fictional world are IC; questions about rules, dice, modifiers or resources are OOC.
            - Mechanics used for their own sake (claiming a feat's bonus, bare numbers, roll reports) are OOC.
            - A mixed line takes the label of its dominant part; a roll call attached to narration stays IC.
            - A joke is IC when a character could say it in the scene, OOC when it points at the real world, the \
            players or the game as a game.
            - Short answers ("Okay.", "Yeah.") take the label of the exchange they belong to: use the context line.""",
            List.of(
                    new LabelDefinition(IC, "In character: the fiction itself. A player speaking as their character, a player "
                            + "declaring what their character does in the world, or the game master narrating the world or "
                            + "voicing non-player characters."),
                    new LabelDefinition(OOC, "Out of character: talk at the table about the real world or about the game's "
                            + "mechanics as such: dice results, rolls, rules questions, resource bookkeeping, breaks, sponsors, "
                            + "jokes about the players themselves, scheduling, the stream or the audience.")),
            examples("ic-ooc-examples.tsv", Set.of(IC, OOC)));

    private static final Map<String, ClassificationTask> TASKS = Map.of(IC_OOC, IC_OOC_TASK);

    private BuiltInTasks() {}

    public static Optional<ClassificationTask> find(String name) {
        return Optional.ofNullable(name).map(TASKS::get);
    }

    public static List<String> names() {
        return TASKS.keySet().stream().sorted().toList();
    }

    /**
     * Examples from a UTF-8 resource beside this class, read with a plain resource read (no reflection, so it works
     * the same in a native image once the resource is included). Rows are {@code label<TAB>speaker<TAB>text}; a
     * line starting with {@code # scene} opens a scene, other {@code #} lines are comments. Within a scene each
     * example's context is the example before it, written {@code SPEAKER: text} as callers send the previous line.
     * File order is kept: the LLM prompt shows the first examples of each label.
     */
    static List<LabeledExample> examples(String resource, Set<String> labels) {
        InputStream stream = BuiltInTasks.class.getResourceAsStream(resource);
        if (stream == null) {
            throw new IllegalStateException("The built-in examples " + resource + " are missing from the classpath");
        }
        List<LabeledExample> examples = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String previous = null;
            int number = 0;
            for (String row = reader.readLine(); row != null; row = reader.readLine()) {
                number++;
                if (row.startsWith("# scene")) {
                    previous = null;
                    continue;
                }
                if (row.isBlank() || row.startsWith("#")) {
                    continue;
                }
                String[] columns = row.split("\t", -1);
                if (columns.length != 3 || !labels.contains(columns[0]) || columns[1].isBlank() || columns[2].isBlank()) {
                    throw new IllegalStateException(resource + " line " + number + " is not label<TAB>speaker<TAB>text with a label in "
                            + labels + ": " + row);
                }
                examples.add(new LabeledExample(columns[2], columns[1], previous, columns[0]));
                previous = columns[1] + ": " + columns[2];
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the built-in examples " + resource, e);
        }
        return List.copyOf(examples);
    }
}
