package io.tiergate.common.classification;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.IntFunction;

/** Tasks callers can name instead of defining labels: {@code ic-ooc} for tabletop RPG transcripts. */
public final class BuiltInTasks {

    public static final String IC_OOC = "ic-ooc";

    /** The game master's role, as {@link ClassificationInput#role()} carries it. */
    public static final String GM = "GM";

    /** Critical Role episodes whose hand-labelled lines ship with the ic-ooc task (see ic-ooc/PROVENANCE.md). */
    public static final List<String> IC_OOC_EPISODES = List.of("C1E020", "C1E030", "C1E036", "C1E040", "C1E045",
            "C1E050", "C1E060", "C1E075", "C1E109", "C2E001", "C2E004", "C2E005", "C2E008", "C2E014", "C2E018", "C2E024",
            "C2E030", "C2E031", "C2E040", "C2E043", "C2E046");

    /** Matthew Mercer is the game master of every Critical Role episode. */
    private static final String CRITICAL_ROLE_GM = "MATT";

    private static final String IC = "IC";
    private static final String OOC = "OOC";

    /** Read once: they make both the task's examples and its conversations. */
    private static final List<LabelledEpisode> SHIPPED_EPISODES = IC_OOC_EPISODES.stream().map(BuiltInTasks::icOocEpisode).toList();

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
            icOocExamples(SHIPPED_EPISODES),
            SHIPPED_EPISODES.stream().flatMap(episode -> episode.conversations().stream()).toList());

    private static final Map<String, ClassificationTask> TASKS = Map.of(IC_OOC, IC_OOC_TASK);

    private BuiltInTasks() {}

    public static Optional<ClassificationTask> find(String name) {
        return Optional.ofNullable(name).map(TASKS::get);
    }

    public static List<String> names() {
        return TASKS.keySet().stream().sorted().toList();
    }

    /** The ic-ooc task's examples: the invented lines first (the LLM prompt shows the first of each label), then every labelled episode. */
    private static List<LabeledExample> icOocExamples(List<LabelledEpisode> episodes) {
        List<LabeledExample> examples = new ArrayList<>(icOocInventedExamples());
        episodes.forEach(episode -> examples.addAll(episode.lines()));
        return List.copyOf(examples);
    }

    /**
     * The ic-ooc examples written for Tiergate, from {@code ic-ooc-examples.tsv} beside this class, read with a plain
     * resource read (no reflection, so it works the same in a native image once the resource is included). Rows are
     * {@code label<TAB>speaker<TAB>text}; a line starting with {@code # scene} opens a scene, other {@code #} lines are
     * comments. Within a scene each example's context is the example before it and its context after the one after it,
     * written {@code SPEAKER: text} as callers send neighbouring lines. File order is kept.
     */
    public static List<LabeledExample> icOocInventedExamples() {
        String resource = "ic-ooc-examples.tsv";
        Set<String> labels = Set.of(IC, OOC);
        List<List<String[]>> scenes = new ArrayList<>();
        List<String[]> scene = null;
        int number = 0;
        for (String row : lines(resource)) {
            number++;
            if (row.startsWith("# scene") || scene == null) {
                scene = new ArrayList<>();
                scenes.add(scene);
            }
            if (row.isBlank() || row.startsWith("#")) {
                continue;
            }
            String[] columns = row.split("\t", -1);
            if (columns.length != 3 || !labels.contains(columns[0]) || columns[1].isBlank() || columns[2].isBlank()) {
                throw new IllegalStateException(resource + " line " + number + " is not label<TAB>speaker<TAB>text with a label in "
                        + labels + ": " + row);
            }
            scene.add(columns);
        }
        List<LabeledExample> examples = new ArrayList<>();
        for (List<String[]> rows : scenes) {
            for (int i = 0; i < rows.size(); i++) {
                String[] row = rows.get(i);
                String before = i > 0 ? turn(rows.get(i - 1)[1], rows.get(i - 1)[2]) : null;
                String after = i + 1 < rows.size() ? turn(rows.get(i + 1)[1], rows.get(i + 1)[2]) : null;
                examples.add(new LabeledExample(row[2], row[1], before, after, GM.equals(row[1]) ? GM : null, row[0]));
            }
        }
        return List.copyOf(examples);
    }

    /**
     * One of {@link #IC_OOC_EPISODES}: its hand-labelled lines, from {@code ic-ooc/<episode>.tsv}
     * ({@code episode<TAB>turn_number<TAB>speaker<TAB>label<TAB>text}), each with the turns just before and after it
     * from {@code ic-ooc/<episode>.turns.tsv} ({@code turn_number<TAB>speaker<TAB>text}) as context and the role
     * {@link #GM} for the game master; and the stretches of consecutive turns that file holds, whose labelled turns are
     * those lines.
     */
    public static LabelledEpisode icOocEpisode(String episode) {
        TreeMap<Integer, String[]> turns = new TreeMap<>();
        for (String row : rows("ic-ooc/" + episode + ".turns.tsv", 3)) {
            String[] columns = row.split("\t", -1);
            turns.put(Integer.parseInt(columns[0]), new String[] {columns[1], columns[2]});
        }
        return icOocEpisode(episode, turns, rows("ic-ooc/" + episode + ".tsv", 5).stream().map(row -> row.split("\t", -1)).toList());
    }

    /** A hand-labelled episode: its labelled lines, and the stretches of consecutive turns they were labelled in. */
    public record LabelledEpisode(List<LabeledExample> lines, List<Conversation> conversations) {}

    /**
     * A Critical Role episode labelled as the ic-ooc files are: each labelled line with the turns just before and after
     * it as context and the role {@link #GM} for the game master, and the stretches of consecutive {@code turns}, whose
     * labelled turns are those same lines.
     *
     * @param turns        the episode's turns kept, by number: {@code {speaker, text}}
     * @param labelledRows {@code {episode, turn_number, speaker, label, text}}, as in {@code ic-ooc/<episode>.tsv}
     */
    public static LabelledEpisode icOocEpisode(String episode, SortedMap<Integer, String[]> turns, List<String[]> labelledRows) {
        IntFunction<String> turn = number -> turns.containsKey(number) ? turn(turns.get(number)[0], turns.get(number)[1]) : null;
        Map<Integer, LabeledExample> byTurn = new HashMap<>();
        List<LabeledExample> labelled = new ArrayList<>();
        for (String[] columns : labelledRows) {
            int number = Integer.parseInt(columns[1]);
            LabeledExample line = new LabeledExample(columns[4], columns[2], turn.apply(number - 1), turn.apply(number + 1),
                    roleInCriticalRole(columns[2]), columns[3]);
            labelled.add(line);
            byTurn.put(number, line);
        }
        List<Conversation> conversations = new ArrayList<>();
        List<LabeledExample> stretch = new ArrayList<>();
        for (Map.Entry<Integer, String[]> entry : turns.entrySet()) {
            int number = entry.getKey();
            if (!stretch.isEmpty() && !turns.containsKey(number - 1)) {
                conversations.add(new Conversation(episode, stretch));
                stretch = new ArrayList<>();
            }
            String[] columns = entry.getValue();
            stretch.add(byTurn.getOrDefault(number, new LabeledExample(columns[1], columns[0], turn.apply(number - 1),
                    turn.apply(number + 1), roleInCriticalRole(columns[0]), null)));
        }
        if (!stretch.isEmpty()) {
            conversations.add(new Conversation(episode, stretch));
        }
        return new LabelledEpisode(List.copyOf(labelled), List.copyOf(conversations));
    }

    /** {@link #GM} for the game master of a Critical Role episode, otherwise no role. */
    public static String roleInCriticalRole(String speaker) {
        return CRITICAL_ROLE_GM.equals(speaker) ? GM : null;
    }

    /** A neighbouring turn as callers send it in {@code context}: {@code SPEAKER: text}. */
    private static String turn(String speaker, String text) {
        return speaker + ": " + text;
    }

    /** The non-blank rows of a tab-separated resource after its header, each checked to have {@code columns} columns. */
    private static List<String> rows(String resource, int columns) {
        List<String> lines = lines(resource);
        List<String> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String row = lines.get(i);
            if (row.isBlank()) {
                continue;
            }
            if (row.split("\t", -1).length != columns) {
                throw new IllegalStateException(resource + " line " + (i + 1) + " does not have " + columns + " tab-separated columns: " + row);
            }
            rows.add(row);
        }
        return rows;
    }

    /** The lines of a UTF-8 resource beside this class, read raw: many texts start with a quote. */
    private static List<String> lines(String resource) {
        InputStream stream = BuiltInTasks.class.getResourceAsStream(resource);
        if (stream == null) {
            throw new IllegalStateException("The built-in resource " + resource + " is missing from the classpath");
        }
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            return reader.lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the built-in resource " + resource, e);
        }
    }
}
