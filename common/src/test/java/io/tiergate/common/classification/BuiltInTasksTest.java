package io.tiergate.common.classification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class BuiltInTasksTest {

    @Test
    void icOocTrainsOnTheInventedExamplesAndEveryLabelledEpisode() {
        List<LabeledExample> expected = new ArrayList<>(BuiltInTasks.icOocInventedExamples());
        BuiltInTasks.IC_OOC_EPISODES.forEach(episode -> expected.addAll(BuiltInTasks.icOocEpisode(episode).lines()));
        assertEquals(expected, BuiltInTasks.find(BuiltInTasks.IC_OOC).orElseThrow().examples());
        assertEquals(428, BuiltInTasks.icOocEpisode("C1E020").lines().size());
        assertEquals(536, BuiltInTasks.icOocEpisode("C1E030").lines().size());
        assertEquals(412, BuiltInTasks.icOocEpisode("C1E036").lines().size());
        assertEquals(485, BuiltInTasks.icOocEpisode("C1E040").lines().size());
        assertEquals(574, BuiltInTasks.icOocEpisode("C1E045").lines().size());
        assertEquals(602, BuiltInTasks.icOocEpisode("C1E050").lines().size());
        assertEquals(446, BuiltInTasks.icOocEpisode("C1E060").lines().size());
        assertEquals(585, BuiltInTasks.icOocEpisode("C1E075").lines().size());
        assertEquals(398, BuiltInTasks.icOocEpisode("C1E109").lines().size());
        assertEquals(484, BuiltInTasks.icOocEpisode("C2E001").lines().size());
        assertEquals(628, BuiltInTasks.icOocEpisode("C2E004").lines().size());
        assertEquals(616, BuiltInTasks.icOocEpisode("C2E005").lines().size());
        assertEquals(727, BuiltInTasks.icOocEpisode("C2E008").lines().size());
        assertEquals(558, BuiltInTasks.icOocEpisode("C2E014").lines().size());
        assertEquals(761, BuiltInTasks.icOocEpisode("C2E018").lines().size());
        assertEquals(740, BuiltInTasks.icOocEpisode("C2E024").lines().size());
        assertEquals(610, BuiltInTasks.icOocEpisode("C2E030").lines().size());
        assertEquals(578, BuiltInTasks.icOocEpisode("C2E031").lines().size());
        assertEquals(507, BuiltInTasks.icOocEpisode("C2E040").lines().size());
        assertEquals(649, BuiltInTasks.icOocEpisode("C2E043").lines().size());
        assertEquals(711, BuiltInTasks.icOocEpisode("C2E046").lines().size());
        // Reserved for evaluation.
        assertFalse(BuiltInTasks.IC_OOC_EPISODES.contains("C1E069"));
        assertFalse(BuiltInTasks.IC_OOC_EPISODES.contains("C2E037"));
    }

    @Test
    void episodeLinesCarryTheirNeighbouringTurnsAndTheGameMastersRole() {
        // C1E109 turn 4 (BRIAN) sits between turns 3 and 5, both BRIAN's.
        LabeledExample line = BuiltInTasks.icOocEpisode("C1E109").lines().get(0);
        assertTrue(line.context().startsWith("BRIAN: You know what's up, brother."), line.context());
        assertTrue(line.contextAfter().startsWith("BRIAN: "), line.contextAfter());
        assertNull(line.role());
        for (LabeledExample example : BuiltInTasks.icOocEpisode("C2E040").lines()) {
            assertEquals("MATT".equals(example.speaker()) ? BuiltInTasks.GM : null, example.role(), example.text());
            assertTrue(example.context() != null || example.contextAfter() != null, example.text());
        }
    }

    @Test
    void episodesAreAlsoConversationsOfConsecutiveTurnsHoldingEveryLabelledLineOnce() {
        List<Conversation> all = new ArrayList<>();
        for (String episode : BuiltInTasks.IC_OOC_EPISODES) {
            BuiltInTasks.LabelledEpisode read = BuiltInTasks.icOocEpisode(episode);
            List<Conversation> conversations = read.conversations();
            List<LabeledExample> labelled = new ArrayList<>();
            for (Conversation conversation : conversations) {
                assertEquals(episode, conversation.source());
                List<LabeledExample> turns = conversation.turns();
                assertNull(turns.get(0).context(), "a stretch starts where the turns before it are not kept");
                assertNull(turns.get(turns.size() - 1).contextAfter());
                for (int i = 0; i + 1 < turns.size(); i++) {
                    assertEquals(turns.get(i + 1).speaker() + ": " + turns.get(i + 1).text(), turns.get(i).contextAfter());
                    assertEquals(turns.get(i).speaker() + ": " + turns.get(i).text(), turns.get(i + 1).context());
                }
                turns.stream().filter(turn -> turn.label() != null).forEach(labelled::add);
            }
            assertEquals(new HashSet<>(read.lines()), new HashSet<>(labelled), episode);
            assertEquals(read.lines().size(), labelled.size(), episode);
            all.addAll(conversations);
        }
        assertEquals(all, BuiltInTasks.find(BuiltInTasks.IC_OOC).orElseThrow().conversations());
    }

    @Test
    void inventedExamplesTakeTheirNeighboursWithinAScene() {
        List<LabeledExample> invented = BuiltInTasks.icOocInventedExamples();
        assertNull(invented.get(0).context());
        assertEquals("PLAYER: \"Stay behind me. Whatever happens, don't let go of the lantern.\"", invented.get(0).contextAfter());
        assertEquals(BuiltInTasks.GM, invented.get(0).role());
        assertNotNull(invented.get(1).context());
    }
}
