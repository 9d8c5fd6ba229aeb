package io.tiergate.common.classification;

import java.util.List;
import java.util.Map;
import java.util.Optional;

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
            examples(Map.ofEntries(
                    Map.entry("GM|The door groans open onto a hall lit by a single guttering torch.", IC),
                    Map.entry("GM|The innkeeper leans across the bar. \"You lot aren't from around here, are you?\"", IC),
                    Map.entry("GM|As you step onto the bridge, the planks sway beneath your feet. What do you do?", IC),
                    Map.entry("GM|Rain hammers the rooftops as the bells of the cathedral begin to toll.", IC),
                    Map.entry("GM|The old woman shakes her head. \"The road north is cursed. Nobody who takes it comes back.\"", IC),
                    Map.entry("GM|You see tracks in the mud, fresh, heading toward the treeline.", IC),
                    Map.entry("PLAYER|I draw my sword and step between her and the wolves.", IC),
                    Map.entry("PLAYER|\"Stay behind me. Whatever happens, don't let go of the lantern.\"", IC),
                    Map.entry("PLAYER|I cast healing word on the ranger as I run past.", IC),
                    Map.entry("PLAYER|Is there anyone else in the tavern?", IC),
                    Map.entry("PLAYER|Does the statue look like it has been moved recently?", IC),
                    Map.entry("PLAYER|\"We should rest here tonight and leave for the capital at dawn.\"", IC),
                    Map.entry("PLAYER|I rage and charge the ogre.", IC),
                    Map.entry("PLAYER|\"Thank you, my lady. We will not forget your kindness.\"", IC),
                    Map.entry("PLAYER|I climb up onto the wagon and look for the smugglers' crates.", IC),
                    Map.entry("PLAYER|\"You'll pay for what you did to my village.\"", IC),
                    Map.entry("GM|Make a dexterity saving throw.", OOC),
                    Map.entry("GM|Roll initiative, everybody.", OOC),
                    Map.entry("GM|That's a hit. Roll damage.", OOC),
                    Map.entry("GM|Welcome back, everyone! Before we start, a quick word from tonight's sponsor.", OOC),
                    Map.entry("GM|All right, let's take a ten-minute break. We'll be right back.", OOC),
                    Map.entry("GM|You all gain a level. Go ahead and update your hit points.", OOC),
                    Map.entry("PLAYER|17.", OOC),
                    Map.entry("PLAYER|Natural 20!", OOC),
                    Map.entry("PLAYER|What's my armor class again?", OOC),
                    Map.entry("PLAYER|Do I get advantage on that because of the fog?", OOC),
                    Map.entry("PLAYER|How many spell slots do I have left?", OOC),
                    Map.entry("PLAYER|Can someone pass the chips?", OOC),
                    Map.entry("PLAYER|Thanks to everyone in the chat for watching tonight!", OOC),
                    Map.entry("PLAYER|I'm using my lucky feat to reroll that.", OOC),
                    Map.entry("PLAYER|Is the microphone working? Nobody can hear me.", OOC),
                    Map.entry("PLAYER|That's such a movie reference, I can't believe you said that.", OOC))));

    private static final Map<String, ClassificationTask> TASKS = Map.of(IC_OOC, IC_OOC_TASK);

    private BuiltInTasks() {}

    public static Optional<ClassificationTask> find(String name) {
        return Optional.ofNullable(name).map(TASKS::get);
    }

    public static List<String> names() {
        return TASKS.keySet().stream().sorted().toList();
    }

    /** Examples keyed "SPEAKER|text", sorted so the task (and the classifier trained on it) is the same every run. */
    private static List<LabeledExample> examples(Map<String, String> labelled) {
        return labelled.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(entry -> {
                    String[] speakerAndText = entry.getKey().split("\\|", 2);
                    return new LabeledExample(speakerAndText[1], speakerAndText[0], null, entry.getValue());
                })
                .toList();
    }
}
