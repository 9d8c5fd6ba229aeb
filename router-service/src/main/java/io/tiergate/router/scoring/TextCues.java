package io.tiergate.router.scoring;

import java.util.Set;
import java.util.stream.Stream;

/**
 * Code and math signals in lower-cased prompt text, found in one linear pass over its words and symbols. Scoring
 * runs on every request, and the equivalent regular expressions (alternations tried at every position) cost the
 * router a tenth of its CPU under load.
 *
 * <p>Code: a fence ({@code ```}); a code keyword followed anywhere later by one of {@code (){};=}; or a line
 * ending in {@code {}; }. Math: {@code $$}, {@code \frac}, {@code \int}, {@code \sum}, one of {@code ∫∑√≤≥}, a
 * math word, "prove that", or a digit, operator ({@code ^ * /}) and digit.
 */
public record TextCues(boolean code, boolean math) {

    private static final Set<String> CODE_KEYWORDS = Set.of(
            "def", "class", "function", "return", "import", "public", "private", "const", "var", "select", "from");
    private static final Set<String> MATH_WORDS = Set.of(
            "integral", "derivative", "equation", "theorem", "matrix", "probability");
    private static final String CODE_AFTER_KEYWORD = "(){};=";
    private static final String LINE_END_CODE = "{};";
    private static final String MATH_SYMBOLS = "∫∑√≤≥";
    private static final String OPERATORS = "^*/";
    private static final int LONGEST_WORD = Stream.concat(CODE_KEYWORDS.stream(), MATH_WORDS.stream())
            .mapToInt(String::length).max().orElseThrow();

    public static TextCues scan(String lowerText) {
        return new TextCues(looksLikeCode(lowerText), looksLikeMath(lowerText));
    }

    private static boolean looksLikeCode(String text) {
        if (text.contains("```")) {
            return true;
        }
        int keywordEnd = firstWordEnd(text, CODE_KEYWORDS);
        if (keywordEnd >= 0 && indexOfAny(text, CODE_AFTER_KEYWORD, keywordEnd) >= 0) {
            return true;
        }
        char lastVisible = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' && lastVisible != 0 && LINE_END_CODE.indexOf(lastVisible) >= 0) {
                return true;
            }
            if (!isSpace(c)) {
                lastVisible = c;
            }
        }
        return false;
    }

    private static boolean looksLikeMath(String text) {
        if (text.contains("$$") || text.contains("\\frac") || text.contains("\\int") || text.contains("\\sum")
                || indexOfAny(text, MATH_SYMBOLS, 0) >= 0 || firstWordEnd(text, MATH_WORDS) >= 0 || containsProveThat(text)) {
            return true;
        }
        for (int i = indexOfAny(text, OPERATORS, 0); i >= 0; i = indexOfAny(text, OPERATORS, i + 1)) {
            if (digitBefore(text, i) && digitAfter(text, i)) {
                return true;
            }
        }
        return false;
    }

    /** End of the first whole word (a run of word characters) that is in {@code words}, or -1. */
    private static int firstWordEnd(String text, Set<String> words) {
        int i = 0;
        int length = text.length();
        while (i < length) {
            if (!isWordChar(text.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            while (i < length && isWordChar(text.charAt(i))) {
                i++;
            }
            if (i - start <= LONGEST_WORD && words.contains(text.substring(start, i))) {
                return i;
            }
        }
        return -1;
    }

    private static boolean containsProveThat(String text) {
        for (int at = text.indexOf("prove that"); at >= 0; at = text.indexOf("prove that", at + 1)) {
            int end = at + "prove that".length();
            if ((at == 0 || !isWordChar(text.charAt(at - 1))) && (end == text.length() || !isWordChar(text.charAt(end)))) {
                return true;
            }
        }
        return false;
    }

    private static boolean digitBefore(String text, int index) {
        int i = index - 1;
        while (i >= 0 && isSpace(text.charAt(i))) {
            i--;
        }
        return i >= 0 && isDigit(text.charAt(i));
    }

    private static boolean digitAfter(String text, int index) {
        int i = index + 1;
        while (i < text.length() && isSpace(text.charAt(i))) {
            i++;
        }
        return i < text.length() && isDigit(text.charAt(i));
    }

    private static int indexOfAny(String text, String chars, int from) {
        for (int i = from; i < text.length(); i++) {
            if (chars.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    /** Word characters for word boundaries: letters and digits of any script, and underscore ("varé" is no "var"). */
    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Whitespace as in {@code \s}. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }
}
