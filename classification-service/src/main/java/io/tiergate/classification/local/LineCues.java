package io.tiergate.classification.local;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Cheap lexical cues that sentence embeddings blur but that decide many tabletop lines: numbers and dice, rules words,
 * turn-taking and movement in combat, talk about the show, second-person narration, questions, quoted speech, transcriber notes and length. Each is a
 * 0/1 (length: 0 to 1) feature, scaled by the caller.
 */
final class LineCues {

    private static final List<Pattern> CUES = List.of(
            Pattern.compile("\\b\\d+\\b|\\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen"
                    + "|seventeen|eighteen|nineteen|twenty|thirty)\\b"),
            Pattern.compile("\\b(nat(ural)?|d(4|6|8|10|12|20|100)|dice|die|roll(s|ed|ing)?|rolled)\\b"),
            Pattern.compile("\\b(checks?|initiative|damage|(dis)?advantage|spell ?slots?|ac|armor class|hit points?|hp|saving throws?|saves?"
                    + "|modifiers?|bonus|proficiency|level|concentration|cantrip|bonus action|reaction|perception|investigation|stealth"
                    + "|insight|athletics|acrobatics|persuasion|deception|intimidation|dex(terity)?|wis(dom)?|con(stitution)?"
                    + "|str(ength)?|cha(risma)?|int(elligence)?|feat|inspiration|resistance|short rest|long rest)\\b"),
            Pattern.compile("\\b(sponsors?|break|giveaway|twitch|chat|stream(ing)?|episodes?|merch|subscribe|youtube|patreon|podcast"
                    + "|critters?|audience|tonight|announcements?|website|tickets?|shirts?|show|week|thank(s| you))\\b"),
            Pattern.compile("\\b((your|his|her|their|my) (go|turn)|you're up|(is|are) up|next turn|end of (the|your|his|her) turn"
                    + "|initiative order|movement|difficult terrain|\\d+ feet|melee|dash|disengage|bonus action|ki points?|sorcery points?"
                    + "|unconscious|death sav(e|es|ing)|on the map|the map|minis?)\\b"),
            Pattern.compile("\\byou (see|notice|hear|feel|smell|watch|glance|find|look|realize|sense|catch|spot|get the sense)\\b|\\bas you\\b"),
            Pattern.compile("\\?"),
            Pattern.compile("\""),
            Pattern.compile("\\([^)]*\\)|\\[[^]]*]"));

    static final int COUNT = CUES.size() + 2;
    /** A line of at most this many words ("Yeah.", "What's that?") says little by itself: its situation decides it. */
    private static final int SHORT_WORDS = 3;
    private static final Pattern SPACE = Pattern.compile("\\s+");

    private LineCues() {}

    static boolean isShort(String text) {
        return text != null && words(text) <= SHORT_WORDS;
    }

    static int words(String text) {
        return SPACE.split(text.trim()).length;
    }

    /** Writes the cues of {@code text} (nothing when it is null) at {@code row[offset..offset + COUNT)}, each times {@code weight}. */
    static void write(String text, float[] row, int offset, float weight) {
        if (text == null || text.isBlank()) {
            return;
        }
        String lower = text.toLowerCase(Locale.ROOT);
        for (int i = 0; i < CUES.size(); i++) {
            row[offset + i] = CUES.get(i).matcher(lower).find() ? weight : 0;
        }
        int words = words(text);
        row[offset + CUES.size()] = words <= SHORT_WORDS ? weight : 0;
        row[offset + CUES.size() + 1] = weight * (float) Math.min(1, Math.log1p(words) / Math.log(200));
    }
}
