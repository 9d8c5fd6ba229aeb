package io.tiergate.common.transcription;

import io.tiergate.common.problem.Problem;
import io.tiergate.common.problem.ProblemException;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The text fields of an OpenAI-compatible {@code /v1/audio/transcriptions} or {@code /translations} form, validated
 * alike by the router and the transcription pod.
 *
 * @param model          what the caller asked for: {@code auto}, a tier, or a provider's model
 * @param language       the ISO-639-1 code of the spoken language, when the caller knows it
 * @param prompt         text that steers spelling and style, when given
 * @param temperature    sampling temperature, 0 to 1
 * @param responseFormat how the answer is written
 * @param granularities  which timestamps a {@code verbose_json} answer carries
 */
public record TranscriptionOptions(String model, Optional<String> language, Optional<String> prompt, double temperature,
                                   ResponseFormat responseFormat, Set<Granularity> granularities) {

    public static final String GRANULARITIES_FIELD = "timestamp_granularities[]";
    private static final String STREAM = "stream";
    static final int MAX_MODEL_CHARS = 200;
    static final int MAX_PROMPT_CHARS = 4000;
    private static final Pattern DECIMAL = Pattern.compile("[0-9]{1,16}(\\.[0-9]{0,16})?|\\.[0-9]{1,16}");

    /** The timestamps a verbose answer may carry. */
    public enum Granularity {
        SEGMENT, WORD
    }

    /** Whether the answer has timed words. */
    public boolean wantsWords() {
        return granularities.contains(Granularity.WORD);
    }

    /**
     * Reads the form's text fields.
     *
     * @param field the values sent under each field name (an empty list when the field is absent)
     * @throws ProblemException naming the field that is wrong
     */
    public static TranscriptionOptions from(Function<String, List<String>> field) {
        String model = single(field, "model").orElse("auto");
        if (model.length() > MAX_MODEL_CHARS) {
            throw ProblemException.badField("model", "model must be at most " + MAX_MODEL_CHARS + " characters");
        }
        Optional<String> language = single(field, "language").map(code -> code.toLowerCase(Locale.ROOT));
        if (language.isPresent() && !isLanguageCode(language.get())) {
            throw ProblemException.badField("language", "language must be an ISO-639-1 code such as 'en', not "
                    + Problem.quoted(language.get()));
        }
        Optional<String> prompt = single(field, "prompt");
        if (prompt.isPresent() && prompt.get().length() > MAX_PROMPT_CHARS) {
            throw ProblemException.badField("prompt", "prompt must be at most " + MAX_PROMPT_CHARS + " characters");
        }
        double temperature = single(field, "temperature").map(TranscriptionOptions::temperature).orElse(0.0);
        String formatName = single(field, "response_format").orElse("json");
        ResponseFormat format = ResponseFormat.byWireName(formatName);
        if (format == null) {
            throw ProblemException.badField("response_format", "response_format must be one of json, text, srt, "
                    + "verbose_json, vtt, not " + Problem.quoted(formatName));
        }
        Set<Granularity> granularities = granularities(field.apply(GRANULARITIES_FIELD), format);
        // OpenAI streams a transcription as server-sent events; neither the router nor the pods do.
        if (field.apply(STREAM).stream().anyMatch(value -> value.strip().equalsIgnoreCase("true"))) {
            throw ProblemException.badField(STREAM, "stream: streamed transcriptions are not supported here; leave"
                    + " stream out or false");
        }
        return new TranscriptionOptions(model, language, prompt, temperature, format, granularities);
    }

    /** The language's name as OpenAI's verbose answers report it: {@code en} → {@code english}. */
    public static String languageName(String code) {
        return Locale.forLanguageTag(code).getDisplayLanguage(Locale.ENGLISH).toLowerCase(Locale.ROOT);
    }

    private static boolean isLanguageCode(String code) {
        return code.length() == 2 && List.of(Locale.getISOLanguages()).contains(code);
    }

    private static double temperature(String text) {
        // A plain decimal, as a form sends a number: Double.parseDouble alone would also take "0x1p-1" and "0.5d",
        // which the router would pass on to a provider that refuses them.
        if (DECIMAL.matcher(text).matches()) {
            double value = Double.parseDouble(text);
            if (value <= 1) {
                return value;
            }
        }
        throw ProblemException.badField("temperature", "temperature must be a number from 0 to 1, not " + Problem.quoted(text));
    }

    private static Set<Granularity> granularities(List<String> values, ResponseFormat format) {
        if (values.isEmpty()) {
            return format == ResponseFormat.VERBOSE_JSON ? EnumSet.of(Granularity.SEGMENT) : EnumSet.noneOf(Granularity.class);
        }
        if (format != ResponseFormat.VERBOSE_JSON) {
            throw ProblemException.badField(GRANULARITIES_FIELD, GRANULARITIES_FIELD + " needs response_format verbose_json");
        }
        Set<Granularity> chosen = EnumSet.noneOf(Granularity.class);
        for (String value : values) {
            switch (value) {
                case "segment" -> chosen.add(Granularity.SEGMENT);
                case "word" -> chosen.add(Granularity.WORD);
                default -> throw ProblemException.badField(GRANULARITIES_FIELD,
                        GRANULARITIES_FIELD + " values are 'segment' and 'word', not " + Problem.quoted(value));
            }
        }
        return chosen;
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
