package io.tiergate.common.classification;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClassificationAnswersTest {

    private static final ClassificationTask TASK = BuiltInTasks.find("ic-ooc").orElseThrow();

    @Test
    void validAnswerInAFenceWithCaseInsensitiveLabels() {
        BatchAnswer answer = ClassificationAnswers.parse("Here you go:\n```json\n{\"answers\":[{\"id\":3,\"label\":\"ic\",\"confidence\":0.8},"
                + "{\"id\":\"4\",\"label\":\"OOC\",\"confidence\":1}]}\n```", List.of(3, 4), TASK);
        assertEquals("IC", answer.decided().get(3).label());
        assertEquals(0.8, answer.decided().get(3).confidence());
        assertEquals("OOC", answer.decided().get(4).label());
        assertTrue(answer.undecided(List.of(3, 4)).isEmpty());
    }

    @Test
    void nothingIsGuessed() {
        BatchAnswer answer = ClassificationAnswers.parse("{\"answers\":[{\"id\":0,\"label\":\"maybe\",\"confidence\":0.5},"
                + "{\"id\":1,\"label\":\"IC\"},{\"id\":2,\"label\":\"IC\",\"confidence\":1.7},{\"id\":3,\"label\":\"IC\",\"confidence\":0.9},"
                + "{\"id\":3,\"label\":\"OOC\",\"confidence\":0.9},{\"id\":9,\"label\":\"IC\",\"confidence\":0.9}]}", List.of(0, 1, 2, 3, 4), TASK);
        assertTrue(answer.decided().isEmpty());
        assertEquals(Set.of(0, 1, 2, 3, 4), answer.undecided(List.of(0, 1, 2, 3, 4)));
        assertTrue(answer.problems().get(0).contains("not one of"));
        assertTrue(answer.problems().get(1).contains("confidence missing"));
        assertTrue(answer.problems().get(2).contains("from 0 to 1"));
        assertTrue(answer.problems().get(3).contains("more than once"));
        assertEquals("no answer", answer.problems().get(4));
        assertTrue(answer.problems().get(null).contains("id 9"));
    }

    @Test
    void proseIsNoAnswer() {
        BatchAnswer answer = ClassificationAnswers.parse("All of them are in character.", List.of(0), TASK);
        assertTrue(answer.decided().isEmpty());
        assertTrue(answer.problems().get(null).contains("not a JSON object"));
    }

    @Test
    void promptCarriesLabelsRulesExamplesAndIds() {
        List<ClassificationInput> inputs = List.of(new ClassificationInput("Roll for it.", "MATT", "LAURA: I pick the lock.", "LAURA: 17.", "GM"),
                ClassificationInput.of("\"Hello,\" she says."));
        List<ChatTurn> prompt = ClassificationPrompt.build(TASK, inputs, List.of(0, 1));
        assertEquals("system", prompt.get(0).role());
        assertTrue(prompt.get(0).content().contains("- IC: In character"));
        assertTrue(prompt.get(0).content().contains("Segments outside play are OOC"));
        assertTrue(prompt.get(1).content().contains("{\"id\":0,\"speaker\":\"MATT\",\"role\":\"GM\",\"context\":\"LAURA: I pick the lock.\","
                + "\"text\":\"Roll for it.\",\"context_after\":\"LAURA: 17.\"}"));
        assertTrue(prompt.get(1).content().contains("{\"id\":1,\"text\":\"\\\"Hello,\\\" she says.\"}"));
        assertTrue(prompt.get(1).content().contains("\"label\":\"OOC\""));

        BatchAnswer bad = ClassificationAnswers.parse("{\"answers\":[{\"id\":0,\"label\":\"IC\",\"confidence\":0.9}]}", List.of(0, 1), TASK);
        List<ChatTurn> repair = ClassificationPrompt.repair(prompt, "{...}", bad, bad.undecided(List.of(0, 1)), TASK);
        assertEquals(4, repair.size());
        assertEquals("assistant", repair.get(2).role());
        assertTrue(repair.get(3).content().contains("line 1: no answer"));
        assertTrue(repair.get(3).content().contains("for exactly these line ids: 1."));
    }
}
