package io.tiergate.audio;

import io.tiergate.common.problem.Problem;
import io.tiergate.common.problem.ProblemException;

/** The refusals of an uploaded recording: each names the {@code file} field and says why. */
public final class AudioProblems {

    /** The multipart field every speech endpoint takes its recording from, as OpenAI's API names it. */
    public static final String FIELD = "file";

    private AudioProblems() {
    }

    /** Not audio, corrupt, truncated before its first frame, or empty. */
    public static ProblemException unreadable(String reason) {
        return refusal(400, "invalid-audio", "Invalid audio", "is not a readable recording: " + reason);
    }

    /** A container or codec the endpoint does not take. */
    public static ProblemException unsupported(String reason) {
        return refusal(415, "unsupported-audio", "Unsupported audio", reason);
    }

    /** Longer or larger than the endpoint takes. */
    public static ProblemException tooLong(String reason) {
        return refusal(413, "audio-too-long", "Audio too long", reason);
    }

    private static ProblemException refusal(int status, String slug, String title, String reason) {
        return new ProblemException(Problem.ofField(status, slug, title, FIELD, FIELD + " " + reason));
    }
}
