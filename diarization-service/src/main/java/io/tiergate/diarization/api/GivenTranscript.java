package io.tiergate.diarization.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiergate.audio.form.AudioForm;
import io.tiergate.common.diarization.DiarizationOptions;
import io.tiergate.common.diarization.DiarizedSegment;
import io.tiergate.common.diarization.DiarizedTranscript;
import io.tiergate.common.problem.Problem;
import io.tiergate.common.problem.ProblemException;
import io.tiergate.common.transcription.Transcript;
import io.tiergate.common.transcription.TranscriptSegment;
import io.tiergate.common.transcription.TranscriptWord;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The {@code transcript} field: an OpenAI transcription of the same recording, sent as a text field or a file part.
 * A {@code verbose_json} one ({@link Verbose}) is attributed to the speakers this pod finds; a {@code diarized_json}
 * one ({@link Diarized}, whose segments name their speaker) already says who spoke.
 */
public sealed interface GivenTranscript {

    String FIELD = DiarizationOptions.TRANSCRIPT;

    /** The largest transcript file part read; a four-hour verbose_json with words is about 20 MB. */
    long MAX_BYTES = 64L << 20;

    /** The largest transcript sent as a text field. */
    int MAX_TEXT_BYTES = DiarizationOptions.MAX_TRANSCRIPT_TEXT_BYTES;

    /** How far past the recording's end a transcript's times may run (engines round, and pad the last segment). */
    double LATEST_PAST_THE_END_SECONDS = 1.0;

    record Verbose(Transcript transcript) implements GivenTranscript {
        @Override
        public double lastEnd() {
            return Stream.concat(transcript.words() == null ? Stream.empty()
                                    : transcript.words().stream().map(TranscriptWord::end),
                            transcript.segments() == null ? Stream.empty()
                                    : transcript.segments().stream().map(TranscriptSegment::end))
                    .mapToDouble(Double::doubleValue).max().orElse(0);
        }
    }

    record Diarized(DiarizedTranscript transcript) implements GivenTranscript {
        @Override
        public double lastEnd() {
            return transcript.segments().stream().mapToDouble(DiarizedSegment::end).max().orElse(0);
        }
    }

    /** When the transcript's last word or segment ends, in seconds. */
    double lastEnd();

    /**
     * @throws ProblemException naming {@code transcript} when it runs past the end of the recording it came with
     *                          (more than {@link #LATEST_PAST_THE_END_SECONDS}): it is another recording's
     */
    default void requireWithin(double durationSeconds) {
        if (lastEnd() > durationSeconds + LATEST_PAST_THE_END_SECONDS) {
            throw invalid("runs to " + lastEnd() + " s, past the end of the recording (" + durationSeconds
                    + " s): it is not this recording's transcription");
        }
    }

    /**
     * @throws ProblemException naming {@code transcript} when it is given twice, too large, not JSON, or not a
     *                          transcription with words or segments
     */
    static Optional<GivenTranscript> read(List<AudioForm.Part> parts, ObjectMapper json) {
        if (parts.isEmpty()) {
            return Optional.empty();
        }
        if (parts.size() > 1) {
            throw ProblemException.badField(FIELD, FIELD + " is given " + parts.size() + " times");
        }
        JsonNode tree;
        try {
            tree = parts.get(0) instanceof AudioForm.Upload upload ? json.readTree(fileText(upload.path()))
                    : json.readTree(((AudioForm.Field) parts.get(0)).value());
        } catch (JsonProcessingException e) {
            throw invalid("is not valid JSON: " + e.getOriginalMessage());
        } catch (CharacterCodingException e) {
            throw invalid("is not UTF-8 text");
        } catch (IOException e) {
            throw invalid("could not be read: " + e.getMessage());
        }
        if (tree == null || !tree.isObject()) {
            throw invalid("must be a JSON object: an OpenAI verbose_json or diarized_json transcription");
        }
        boolean diarized = tree.path("segments").isArray() && tree.path("segments").findValue("speaker") != null;
        // Mapped to records, a word or segment without its times would start and end at 0.
        requireTimes(tree.path("words"), "word");
        requireTimes(tree.path("segments"), "segment");
        try {
            return Optional.of(diarized ? diarized(json.treeToValue(tree, DiarizedTranscript.class))
                    : verbose(json.treeToValue(tree, Transcript.class)));
        } catch (JsonProcessingException e) {
            throw invalid("does not have the shape of an OpenAI " + (diarized ? "diarized_json" : "verbose_json")
                    + " transcription: " + e.getOriginalMessage());
        }
    }

    private static void requireTimes(JsonNode items, String what) {
        int index = 0;
        for (JsonNode item : items) {
            if (!item.path("start").isNumber() || !item.path("end").isNumber()) {
                throw invalid("has a " + what + " (" + what + "s[" + index + "]) without numeric start and end times");
            }
            index++;
        }
    }

    private static String fileText(Path file) throws IOException {
        if (Files.size(file) > MAX_BYTES) {
            throw new ProblemException(Problem.ofField(413, "transcript-too-large", "Transcript too large", FIELD,
                    FIELD + " is larger than the " + (MAX_BYTES >> 20) + " MB taken here"));
        }
        return Files.readString(file);
    }

    private static GivenTranscript verbose(Transcript transcript) {
        List<TranscriptWord> words = transcript.words() == null ? List.of() : transcript.words();
        List<TranscriptSegment> segments = transcript.segments() == null ? List.of() : transcript.segments();
        if (words.isEmpty() && segments.isEmpty()) {
            throw invalid("has neither words nor segments: send a verbose_json transcription, with "
                    + "timestamp_granularities[]=word to split segments where the speaker changes");
        }
        for (int i = 0; i < words.size(); i++) {
            TranscriptWord word = words.get(i);
            if (word == null || word.word() == null || !isSpan(word.start(), word.end())) {
                throw invalid("has a word (words[" + i + "]) without text or with times that are not 0 <= start <= end");
            }
        }
        for (int i = 0; i < segments.size(); i++) {
            TranscriptSegment segment = segments.get(i);
            if (segment == null || !isSpan(segment.start(), segment.end())) {
                throw invalid("has a segment (segments[" + i + "]) with times that are not 0 <= start <= end");
            }
        }
        return new Verbose(transcript);
    }

    private static GivenTranscript diarized(DiarizedTranscript transcript) {
        for (DiarizedSegment segment : transcript.segments()) {
            if (segment == null || segment.speaker() == null || !isSpan(segment.start(), segment.end())) {
                throw invalid("is a diarized_json whose segments do not all have a speaker and times with "
                        + "0 <= start <= end");
            }
        }
        return new Diarized(transcript);
    }

    private static boolean isSpan(double start, double end) {
        return start >= 0 && end >= start && Double.isFinite(end);
    }

    private static ProblemException invalid(String reason) {
        return ProblemException.badField(FIELD, FIELD + " " + reason);
    }
}
