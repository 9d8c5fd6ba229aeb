package io.tiergate.common.diarization;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A diarization as RTTM, the format NIST's md-eval and pyannote score: one line per turn,
 * {@code SPEAKER <uri> 1 <start> <duration> <NA> <NA> <speaker> <NA> <NA>}, times in seconds to the millisecond.
 */
public final class DiarizationRttm {

    private static final Pattern ONE_TOKEN = Pattern.compile("\\S+");

    private DiarizationRttm() {
    }

    /**
     * @param uri the recording's id, one token
     * @throws IllegalArgumentException when the uri or a speaker label is empty or holds whitespace, which would
     *                                  shift RTTM's space-separated fields
     */
    public static String render(Diarization diarization, String uri) {
        requireToken("uri", uri);
        StringBuilder rttm = new StringBuilder();
        for (SpeakerTurn turn : diarization.segments()) {
            requireToken("speaker", turn.speaker());
            rttm.append(String.format(Locale.ROOT, "SPEAKER %s 1 %.3f %.3f <NA> <NA> %s <NA> <NA>\n", uri,
                    turn.start(), turn.end() - turn.start(), turn.speaker()));
        }
        return rttm.toString();
    }

    /**
     * The RTTM recording id of an upload: its file name without folders and extension, each run of characters other
     * than letters, digits, dot, dash and underscore made one underscore, so it stays one RTTM token; at most 100
     * characters, {@code recording} when nothing is left.
     */
    public static String uriOf(String fileName) {
        String name = fileName == null ? "" : fileName.replaceAll(".*[/\\\\]", "");
        int dot = name.lastIndexOf('.');
        String base = (dot > 0 ? name.substring(0, dot) : name).replaceAll("[^A-Za-z0-9._-]+", "_");
        base = base.length() > 100 ? base.substring(0, 100) : base;
        return base.isEmpty() || base.equals("_") ? "recording" : base;
    }

    /** A speaker label made one RTTM token: each run of whitespace an underscore ({@code Ana Lima} → {@code Ana_Lima}). */
    public static String speakerToken(String label) {
        String token = label.strip().replaceAll("\\s+", "_");
        return token.isEmpty() ? "unknown" : token;
    }

    private static void requireToken(String field, String value) {
        if (value == null || !ONE_TOKEN.matcher(value).matches()) {
            throw new IllegalArgumentException("the RTTM " + field + " must be one token without whitespace, was '"
                    + value + "'");
        }
    }
}
