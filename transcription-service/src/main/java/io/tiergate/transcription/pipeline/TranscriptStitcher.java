package io.tiergate.transcription.pipeline;

import io.tiergate.common.transcription.Transcript;
import io.tiergate.common.transcription.TranscriptSegment;
import io.tiergate.common.transcription.TranscriptWord;
import io.tiergate.common.transcription.TranscriptionOptions;
import io.tiergate.transcription.engine.EngineOutput;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.DeflaterOutputStream;

/** Joins the chunks' texts, in recording order, into one transcript with times from the start of the recording. */
final class TranscriptStitcher {

    /** One chunk's text and where the chunk starts in the recording. */
    record ChunkText(double offsetSeconds, EngineOutput output) {
    }

    private TranscriptStitcher() {
    }

    static Transcript stitch(List<ChunkText> chunks, double durationSeconds, TranscriptionOptions options, boolean translate) {
        List<TranscriptSegment> segments = new ArrayList<>();
        List<TranscriptWord> words = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        String language = null;
        for (ChunkText chunk : chunks) {
            double offset = chunk.offsetSeconds();
            if (language == null) {
                language = chunk.output().language();
            }
            for (EngineOutput.Segment segment : chunk.output().segments()) {
                String segmentText = segment.text().strip();
                if (segmentText.isEmpty()) {
                    continue;
                }
                segments.add(new TranscriptSegment(segments.size(), (int) Math.round(offset * 100), round(offset + segment.start()),
                        round(offset + segment.end()), " " + segmentText, List.of(), options.temperature(),
                        segment.avgLogprob(), compressionRatio(segmentText), segment.noSpeechProb()));
                segment.words().forEach(word -> words.add(new TranscriptWord(word.word().strip(),
                        round(offset + word.start()), round(offset + word.end()))));
                text.append(text.isEmpty() ? "" : " ").append(segmentText);
            }
        }
        if (language == null) {
            language = translate ? "english" : options.language().map(TranscriptionOptions::languageName).orElse("english");
        }
        boolean verbose = options.granularities().contains(TranscriptionOptions.Granularity.SEGMENT)
                || !options.wantsWords();
        return new Transcript(translate ? Transcript.TRANSLATE : Transcript.TRANSCRIBE, language, round(durationSeconds),
                text.toString(), verbose ? segments : null, options.wantsWords() ? words : null);
    }

    private static double round(double seconds) {
        return Math.round(seconds * 1000) / 1000.0;
    }

    /** How well the text compresses, as Whisper reports it: repetitive hallucinated text compresses far better than speech. */
    private static double compressionRatio(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (DeflaterOutputStream out = new DeflaterOutputStream(compressed)) {
            out.write(bytes);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("compressing in memory cannot fail", e);
        }
        return Math.round(bytes.length * 1000.0 / compressed.size()) / 1000.0;
    }
}
