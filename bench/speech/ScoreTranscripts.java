import io.tiergate.speech.fixtures.transcript.AsrClip;
import io.tiergate.speech.fixtures.transcript.AsrReferences;
import io.tiergate.speech.fixtures.transcript.Stm;
import io.tiergate.speech.fixtures.wer.WerResult;
import io.tiergate.speech.fixtures.wer.WordErrorRate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores hypotheses (one {@code <id>.txt} per clip in a folder) against the shared assets' references: every clip of
 * {@code asr/} and the STM of {@code diarization/pyannote_sample}. Prints each clip's WER and the corpus WER, and
 * writes {@code ref.trn} and {@code hyp.trn} (normalised words) so NIST sclite can score the same files.
 *
 * <p>{@code java -cp <speech-fixtures jar> bench/speech/ScoreTranscripts.java <hyp-dir> <assets-dir>}, or
 * {@code … ScoreTranscripts.java --pair <reference.txt> <hypothesis.txt>} to score one transcript.
 */
public class ScoreTranscripts {

    public static void main(String[] args) throws IOException {
        if (args[0].equals("--pair")) {
            WerResult result = WordErrorRate.score(Files.readString(Path.of(args[1])), Files.readString(Path.of(args[2])));
            System.out.printf("words %d  S %d  D %d  I %d  WER %.4f%n", result.referenceWords(), result.substitutions(),
                    result.deletions(), result.insertions(), result.wer());
            return;
        }
        Path hyps = Path.of(args[0]);
        Path assets = Path.of(args[1]);
        Map<String, String> references = new LinkedHashMap<>();
        for (AsrClip clip : AsrReferences.list(assets.resolve("asr"))) {
            references.put(clip.id(), clip.reference());
        }
        List<String> turns = new ArrayList<>();
        Stm.read(assets.resolve("diarization/pyannote_sample.stm")).stream()
                .sorted((a, b) -> Double.compare(a.start(), b.start())).forEach(turn -> turns.add(turn.text()));
        references.put("pyannote_sample", String.join(" ", turns));

        List<WerResult> results = new ArrayList<>();
        StringBuilder refTrn = new StringBuilder();
        StringBuilder hypTrn = new StringBuilder();
        for (Map.Entry<String, String> reference : references.entrySet()) {
            String id = reference.getKey();
            Path hypothesisFile = hyps.resolve(id + ".txt");
            if (!Files.exists(hypothesisFile)) {
                System.out.printf("%-58s no hypothesis (not transcribed), left out of the total%n", id);
                continue;
            }
            String hypothesis = Files.readString(hypothesisFile);
            WerResult result = WordErrorRate.score(reference.getValue(), hypothesis);
            results.add(result);
            System.out.printf("%-58s words %4d  S %3d  D %3d  I %3d  WER %.4f%n", id, result.referenceWords(),
                    result.substitutions(), result.deletions(), result.insertions(), result.wer());
            refTrn.append(String.join(" ", WordErrorRate.normalize(reference.getValue()))).append(" (clip_").append(id).append(")\n");
            hypTrn.append(String.join(" ", WordErrorRate.normalize(hypothesis))).append(" (clip_").append(id).append(")\n");
        }
        WerResult total = WerResult.total(results);
        System.out.printf("%-58s words %4d  S %3d  D %3d  I %3d  WER %.4f%n", "TOTAL (corpus)", total.referenceWords(),
                total.substitutions(), total.deletions(), total.insertions(), total.wer());
        Files.writeString(hyps.resolve("ref.trn"), refTrn);
        Files.writeString(hyps.resolve("hyp.trn"), hypTrn);
    }
}
