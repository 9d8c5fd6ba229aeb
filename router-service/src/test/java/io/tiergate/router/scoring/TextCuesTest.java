package io.tiergate.router.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TextCuesTest {

    /**
     * The definitions TextCues implements, as regular expressions: too slow for every request, exact as a reference.
     * Word boundaries are spelled out because {@code \b} changed meaning between JDK releases.
     */
    private static final String WORD = "[\\p{L}\\p{Nd}_]";
    private static final String BEFORE = "(?<!" + WORD + ")";
    private static final String AFTER = "(?!" + WORD + ")";
    private static final Pattern CODE = Pattern.compile(
            "```|" + BEFORE + "(def|class|function|return|import|public|private|const|var|select|from)" + AFTER
                    + ".*[(){};=]|[{};]\\s*\\n",
            Pattern.DOTALL);
    private static final Pattern MATH = Pattern.compile(
            "\\$\\$|\\\\frac|\\\\int|\\\\sum|[∫∑√≤≥]|" + BEFORE
                    + "(integral|derivative|equation|theorem|matrix|probability|prove that)" + AFTER + "|\\d\\s*[\\^*/]\\s*\\d");

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "summarise what happened at the bridge.          | false | false",
        "fix this: ```int x = f(1);```                   | true  | false",
        "def area(r): return 3.14 * r ** 2               | true  | false",
        "the class was fun; we left early                | true  | false",
        "a classic (first) edition                       | false | false",
        "select name from users where id = 1             | true  | false",
        "what is the derivative of x^2?                  | false | true",
        "what is 6 * 7                                   | false | true",
        "disprove that, then prove that it holds         | false | true",
        "i disprove thatcher                             | false | false",
        "$$a^b$$                                         | false | true",
        "∑ of all rolls                                  | false | true",
        "matrices are not a matrix_ word                 | false | false",
    })
    void findsCodeAndMathLikeTheirDefinitions(String text, boolean code, boolean math) {
        assertThat(TextCues.scan(text)).isEqualTo(new TextCues(code, math));
        assertThat(CODE.matcher(text).find()).as("reference for code").isEqualTo(code);
        assertThat(MATH.matcher(text).find()).as("reference for math").isEqualTo(math);
    }

    @Test
    void agreesWithTheReferenceOnRandomPromptText() {
        List<String> pieces = List.of("def", "class", "return", "from", "select", "var", "x", "f", "(", ")", "{", "}", ";", "=",
                "\n", " ", "  ", "\t", "1", "2", "^", "*", "/", "$", "$$", "\\frac", "\\in", "integral", "matrix", "prove",
                "that", "prove that", "```", "`", "_", "√", "≥", "é", "word", ".", ",");
        Random random = new Random(7);
        for (int sample = 0; sample < 20_000; sample++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(12);
            for (int i = 0; i < length; i++) {
                text.append(pieces.get(random.nextInt(pieces.size())));
            }
            String prompt = text.toString();
            TextCues cues = TextCues.scan(prompt);
            assertThat(cues.code()).as("code in [%s]", prompt).isEqualTo(CODE.matcher(prompt).find());
            assertThat(cues.math()).as("math in [%s]", prompt).isEqualTo(MATH.matcher(prompt).find());
        }
    }
}
