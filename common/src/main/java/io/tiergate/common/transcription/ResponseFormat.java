package io.tiergate.common.transcription;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The {@code response_format} values of OpenAI's audio endpoints, and how a transcript is written in each. */
public enum ResponseFormat {
    JSON("application/json"),
    TEXT("text/plain; charset=utf-8"),
    SRT("application/x-subrip; charset=utf-8"),
    VTT("text/vtt; charset=utf-8"),
    VERBOSE_JSON("application/json");

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String contentType;

    ResponseFormat(String contentType) {
        this.contentType = contentType;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String contentType() {
        return contentType;
    }

    /** The format with this wire name, or null. */
    public static ResponseFormat byWireName(String name) {
        for (ResponseFormat format : values()) {
            if (format.wireName().equals(name)) {
                return format;
            }
        }
        return null;
    }

    /** The transcript written in this format. */
    public String render(Transcript transcript) {
        return switch (this) {
            case JSON -> json(Map.of("text", transcript.text()));
            case TEXT -> transcript.text() + "\n";
            case SRT -> cues(transcript.segments(), "", ',');
            case VTT -> cues(transcript.segments(), "WEBVTT\n\n", '.');
            case VERBOSE_JSON -> json(transcript);
        };
    }

    private static String cues(List<TranscriptSegment> segments, String header, char millisSeparator) {
        StringBuilder out = new StringBuilder(header);
        int number = 1;
        for (TranscriptSegment segment : segments) {
            if (millisSeparator == ',') {
                out.append(number++).append('\n');
            }
            out.append(timestamp(segment.start(), millisSeparator)).append(" --> ")
                    .append(timestamp(segment.end(), millisSeparator)).append('\n')
                    .append(segment.text().strip()).append("\n\n");
        }
        return out.toString();
    }

    private static String timestamp(double seconds, char millisSeparator) {
        long millis = Math.round(seconds * 1000);
        return String.format(Locale.ROOT, "%02d:%02d:%02d%c%03d", millis / 3_600_000, millis / 60_000 % 60,
                millis / 1000 % 60, millisSeparator, millis % 1000);
    }

    private static String json(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a transcript always serialises", e);
        }
    }
}
