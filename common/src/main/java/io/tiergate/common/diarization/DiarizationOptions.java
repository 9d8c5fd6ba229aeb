package io.tiergate.common.diarization;

import io.tiergate.common.problem.Problem;
import io.tiergate.common.problem.ProblemException;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The text fields of a {@code POST /v1/audio/diarizations} form, validated alike by the router and the diarization pod.
 * The {@code transcript} field, text or file, is read by the pod; here only its presence matters
 * ({@link #checkTranscript}).
 *
 * @param model    what the caller asked for: {@code auto}, a tier, or a provider's model; the pod does not read it
 * @param speakers what the caller says of the speaker count
 * @param format   how the answer is written
 */
public record DiarizationOptions(String model, SpeakerCount speakers, Format format) {

    /** The form field of a transcription to attribute to the speakers found, as text or as a file. */
    public static final String TRANSCRIPT = "transcript";
    /** The largest transcript taken as a text field (the router and the pod alike); a file part may be larger. */
    public static final int MAX_TRANSCRIPT_TEXT_BYTES = 16 << 20;
    /** More speakers than any session this pod is meant for; a larger count is a mistake, not a meeting. */
    public static final int MAX_SPEAKERS = 64;
    static final int MAX_MODEL_CHARS = 200;
    private static final Pattern COUNT = Pattern.compile("[0-9]{1,3}");

    /** How the answer is written. */
    public enum Format {
        /** The {@code Diarization} JSON, or the speaker-attributed transcript when one was sent. */
        JSON,
        /** RTTM lines, as md-eval and pyannote read them. */
        RTTM
    }

    /**
     * Reads the form's text fields.
     *
     * @param field the values sent under each field name (an empty list when the field is absent)
     * @throws ProblemException naming the field that is wrong
     */
    public static DiarizationOptions from(Function<String, List<String>> field) {
        String model = single(field, "model").orElse("auto");
        if (model.length() > MAX_MODEL_CHARS) {
            throw ProblemException.badField("model", "model must be at most " + MAX_MODEL_CHARS + " characters");
        }
        Integer exact = count(field, "num_speakers");
        Integer min = count(field, "min_speakers");
        Integer max = count(field, "max_speakers");
        if (exact != null && (min != null || max != null)) {
            throw ProblemException.badField("num_speakers",
                    "num_speakers gives the count; leave out min_speakers and max_speakers, or num_speakers");
        }
        if (min != null && max != null && min > max) {
            throw ProblemException.badField("min_speakers",
                    "min_speakers (" + min + ") is more than max_speakers (" + max + ")");
        }
        String formatName = single(field, "response_format").orElse("json");
        Format format = switch (formatName) {
            case "json" -> Format.JSON;
            case "rttm" -> Format.RTTM;
            default -> throw ProblemException.badField("response_format",
                    "response_format must be json or rttm, not " + Problem.quoted(formatName));
        };
        return new DiarizationOptions(model, new SpeakerCount(exact, min, max), format);
    }

    /**
     * RTTM has no room for a transcript's text: a transcript sent with {@code response_format=rttm} is refused.
     *
     * @param transcriptSent whether the form has a {@code transcript} field, as text or as a file
     * @throws ProblemException naming {@code response_format}
     */
    public void checkTranscript(boolean transcriptSent) {
        if (transcriptSent && format == Format.RTTM) {
            throw ProblemException.badField("response_format", "response_format rttm has no room for the transcript's"
                    + " text; leave it out (json) to have the transcript attributed, or leave out transcript");
        }
    }

    private static Integer count(Function<String, List<String>> field, String name) {
        Optional<String> text = single(field, name);
        if (text.isEmpty()) {
            return null;
        }
        // ASCII digits only: Integer.parseInt alone would also take "+3" and other scripts' digits.
        if (COUNT.matcher(text.get()).matches()) {
            int value = Integer.parseInt(text.get());
            if (value >= 1 && value <= MAX_SPEAKERS) {
                return value;
            }
        }
        throw ProblemException.badField(name, name + " must be a whole number from 1 to " + MAX_SPEAKERS + ", not "
                + Problem.quoted(text.get()));
    }

    private static Optional<String> single(Function<String, List<String>> field, String name) {
        List<String> values = field.apply(name);
        if (values.size() > 1) {
            throw ProblemException.badField(name, name + " is given " + values.size() + " times");
        }
        // An empty field is an absent one, as form tools send them for options left blank.
        return values.stream().findFirst().map(String::strip).filter(value -> !value.isEmpty());
    }
}
