package io.tiergate.common.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.tiergate.common.problem.Problem;
import io.tiergate.common.problem.ProblemMappers;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class StrictJsonTest {

    record Line(String text, int count) {}

    private final ObjectMapper mapper = strict();

    private static ObjectMapper strict() {
        ObjectMapper mapper = new ObjectMapper();
        new StrictJson().customize(mapper);
        return mapper;
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"text\":5}", "{\"text\":2.5}", "{\"text\":true}"})
    void aNumberOrBooleanWhereTextIsDeclaredIsRefusedNotTurnedIntoText(String json) {
        var refused = catchThrowableOfType(MismatchedInputException.class, () -> mapper.readValue(json, Line.class));
        assertThat(ProblemMappers.problemOf(refused).field()).isEqualTo("text");
    }

    record Settings(Double threshold, List<Line> lines, Long tokens) {}

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"text\":[\"a\"]}|text|must be a string, not an array",
        "{\"text\":\"a\",\"count\":1.5}|count|must be a whole number, not a number with a fraction",
        "{\"text\":{\"a\":1}}|text|must be a string, not an object",
    })
    void aValueOfTheWrongTypeIsNamedInTheCallersTermsNotJavas(String json, String field, String says) {
        Problem problem = ProblemMappers.problemOf(catchThrowableOfType(MismatchedInputException.class, () -> mapper.readValue(json, Line.class)));

        assertThat(problem.field()).isEqualTo(field);
        assertThat(problem.detail()).contains(says).doesNotContain("java.").doesNotContain("`");
    }

    @Test
    void numbersAndListsAreNamedAsSuch() {
        for (String[] wrong : new String[][] {{"{\"threshold\":\"x\"}", "threshold", "must be a number, not a string"},
                {"{\"lines\":\"x\"}", "lines", "must be an array, not a string"},
                {"{\"tokens\":1e300}", "tokens", "must be a whole number, not a number with a fraction"}}) {
            Problem problem = ProblemMappers.problemOf(
                    catchThrowableOfType(MismatchedInputException.class, () -> mapper.readValue(wrong[0], Settings.class)));
            assertThat(problem.field()).isEqualTo(wrong[1]);
            assertThat(problem.detail()).contains(wrong[2]).doesNotContain("CoercionConfig").doesNotContain("java.");
        }
    }

    @Test
    void textStaysText() throws JsonProcessingException {
        assertThat(mapper.readValue("{\"text\":\"5\",\"count\":2}", Line.class)).isEqualTo(new Line("5", 2));
        assertThatThrownBy(() -> mapper.readValue("{\"text\":\"a\",\"count\":\"2\"}", Line.class))
                .isInstanceOf(MismatchedInputException.class);
    }

    @Test
    void aKeyGivenTwiceNamesTheKeyWhereverItIs() {
        Problem problem = malformed("{\"inputs\":[{\"text\":\"a\"},{\"text\":\"b\",\"text\":\"c\"}]}");
        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.type()).endsWith("malformed-json");
        assertThat(problem.field()).isEqualTo("inputs[1].text");
        assertThat(problem.detail()).contains("Duplicate field 'text'");
    }

    @Test
    void aNonNumberNamesItsFieldAndNotTheReadersSettings() {
        Problem problem = malformed("{\"temperature\":NaN}");
        assertThat(problem.field()).isEqualTo("temperature");
        assertThat(problem.detail()).contains("'NaN'").doesNotContain("JsonReadFeature").doesNotContain("`");
    }

    @Test
    void anythingAfterTheValueIsMalformedWithoutTheReadersSettings() {
        Problem problem = malformed("{\"text\":\"a\"}{}");
        assertThat(problem.detail()).contains("Trailing token").doesNotContain("DeserializationFeature").doesNotContain("`");
    }

    private Problem malformed(String json) {
        return ProblemMappers.malformedJson(catchThrowableOfType(JsonProcessingException.class, () -> mapper.readTree(json)));
    }
}
