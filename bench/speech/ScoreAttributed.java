import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiergate.speech.fixtures.transcript.Stm;
import io.tiergate.speech.fixtures.wer.SpeakerAttributedWer;
import io.tiergate.speech.fixtures.wer.SpeakerAttributedWer.SpeakerText;
import io.tiergate.speech.fixtures.wer.WerResult;
import io.tiergate.speech.fixtures.wer.WordErrorRate;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Scores a speaker-attributed transcript (the diarization pod's answer to a recording sent with its transcript:
 * {@code segments: [{speaker, start, end, text, words}]}) against an STM reference: speaker-attributed WER (cpWER, a
 * word given to the wrong speaker counting twice) beside the plain WER of the same words, which ignores speakers.
 *
 * <p>{@code java -cp <speech-fixtures jar and class path> bench/speech/ScoreAttributed.java <attributed.json> <reference.stm>}
 */
public class ScoreAttributed {

    public static void main(String[] args) throws IOException {
        JsonNode answer = new ObjectMapper().readTree(Path.of(args[0]).toFile());
        List<SpeakerText> hypothesis = new ArrayList<>();
        for (JsonNode segment : answer.path("segments")) {
            hypothesis.add(new SpeakerText(segment.path("speaker").asText(), segment.path("start").asDouble(),
                    segment.path("text").asText()));
        }
        List<SpeakerText> reference = Stm.read(Path.of(args[1])).stream()
                .filter(segment -> !segment.text().equals(WordErrorRate.IGNORED_STM_TEXT))
                .map(segment -> new SpeakerText(segment.speaker(), segment.start(), segment.text())).toList();

        SpeakerAttributedWer.Result attributed = SpeakerAttributedWer.score(reference, hypothesis);
        WerResult plain = WordErrorRate.score(joined(reference), joined(hypothesis));
        print("speaker-attributed WER (cpWER)", attributed.errors());
        print("WER ignoring speakers", plain);
        System.out.println("speakers paired (reference=hypothesis): " + attributed.pairing());
    }

    private static String joined(List<SpeakerText> texts) {
        return String.join(" ", texts.stream().sorted((a, b) -> Double.compare(a.start(), b.start())).map(SpeakerText::text).toList());
    }

    private static void print(String what, WerResult result) {
        System.out.printf("%-32s words %4d  S %3d  D %3d  I %3d  WER %.4f%n", what, result.referenceWords(),
                result.substitutions(), result.deletions(), result.insertions(), result.wer());
    }
}
