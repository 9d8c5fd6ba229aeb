package io.tiergate.common.classification;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a JSON value may sit in a model's reply: the whole reply, the inside of a code fence, or the span
 * from the first opening bracket to the last matching closing one. Models asked for bare JSON still wrap it.
 */
public final class JsonSpans {

    private JsonSpans() {}

    public static List<String> candidates(String content) {
        List<String> spans = new ArrayList<>();
        String trimmed = content.trim();
        spans.add(trimmed);
        int fence = trimmed.indexOf("```");
        if (fence >= 0) {
            int bodyStart = trimmed.indexOf('\n', fence);
            int close = bodyStart < 0 ? -1 : trimmed.indexOf("```", bodyStart);
            if (close > bodyStart) {
                spans.add(trimmed.substring(bodyStart + 1, close).trim());
            }
        }
        addSpan(spans, trimmed, '{', '}');
        addSpan(spans, trimmed, '[', ']');
        return spans;
    }

    private static void addSpan(List<String> spans, String text, char open, char close) {
        int start = text.indexOf(open);
        int end = text.lastIndexOf(close);
        if (start >= 0 && end > start) {
            spans.add(text.substring(start, end + 1));
        }
    }
}
