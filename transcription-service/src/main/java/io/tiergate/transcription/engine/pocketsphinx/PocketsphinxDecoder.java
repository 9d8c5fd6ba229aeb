package io.tiergate.transcription.engine.pocketsphinx;

import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.StringArray;
import com.sun.jna.ptr.IntByReference;
import io.tiergate.audio.Pcm16;
import io.tiergate.common.transcription.TranscriptWord;
import io.tiergate.transcription.engine.EngineOutput;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One PocketSphinx decoder with the model loaded once, used by one thread at a time. It decodes a chunk as
 * {@code pocketsphinx_continuous} decodes a file: utterances end where the decoder's own voice detection hears silence,
 * and each utterance becomes a segment of timed words.
 */
final class PocketsphinxDecoder implements AutoCloseable {

    /** {@code pocketsphinx_continuous} reads this many samples at a time; the same blocks give the same utterances. */
    private static final int BLOCK_SAMPLES = 2048;
    /** The decoder's frame rate: the en-us model keeps the default 100 frames a second. */
    private static final double FRAMES_PER_SECOND = 100;
    /** Pronunciation variants are named {@code word(2)}. */
    private static final Pattern VARIANT = Pattern.compile("\\(\\d+\\)$");

    private final PocketsphinxNatives.Libraries natives;
    /** Kept for the decoder's life: the configuration points into it. */
    private final StringArray arguments;
    private final Pointer config;
    private final Pointer decoder;
    private final PocketsphinxNatives.CepstralMean cepstralMean;
    private final float[] initialMean;
    private final float[] initialSum;
    private final int initialFrames;
    /** The recording whose chunk this decoder decoded last, whole; null when none or when a decode failed. */
    private Object lastRecording;

    /**
     * @throws IOException when PocketSphinx cannot load the model in {@code modelDir}
     */
    PocketsphinxDecoder(PocketsphinxNatives.Libraries natives, Path modelDir) throws IOException {
        this.natives = natives;
        String[] argv = {"tiergate", "-hmm", modelDir.resolve("en-us").toString(),
                "-lm", modelDir.resolve("en-us.lm.bin").toString(),
                "-dict", modelDir.resolve("cmudict-en-us.dict").toString(), "-samprate", "16000"};
        this.arguments = new StringArray(argv);
        this.config = natives.sphinxbase().cmd_ln_parse_r(null, natives.pocketsphinx().ps_args(), argv.length, arguments, 1);
        if (config == null) {
            throw new IOException("pocketsphinx did not take its settings for " + modelDir);
        }
        this.decoder = natives.pocketsphinx().ps_init(config);
        if (decoder == null) {
            natives.sphinxbase().cmd_ln_free_r(config);
            throw new IOException("pocketsphinx could not load the model in " + modelDir);
        }
        PocketsphinxNatives.FeatHead feat = new PocketsphinxNatives.FeatHead(natives.pocketsphinx().ps_get_feat(decoder));
        this.cepstralMean = new PocketsphinxNatives.CepstralMean(feat.cmnStruct);
        this.initialMean = cepstralMean.mean.getFloatArray(0, cepstralMean.length);
        this.initialSum = cepstralMean.sum.getFloatArray(0, cepstralMean.length);
        this.initialFrames = cepstralMean.frames;
    }

    /**
     * Decodes one chunk of {@code recording} from a fresh stream: times restart at zero. The cepstral mean goes on from
     * where this decoder left it when its last chunk was of the same recording, as the decoder program goes on through a
     * whole file; otherwise it restarts at the model's, so a chunk's words never depend on another recording. A mean
     * restarted at every chunk cost a third more decoding time and a point of WER on the 10-minute session (the decoder
     * searches wider until the mean has adapted again).
     *
     * @param recording the same object for every chunk of one recording (compared by identity)
     * @throws InterruptedIOException when the thread is interrupted, between two blocks of samples
     */
    List<EngineOutput.Segment> decode(float[] samples, Object recording) throws IOException {
        var ps = natives.pocketsphinx();
        if (recording != lastRecording) {
            restoreInitialCepstralMean();
        }
        // Until this chunk is decoded whole, the mean is neither the recording's nor the model's.
        lastRecording = null;
        check(ps.ps_start_stream(decoder), "start a stream");
        check(ps.ps_start_utt(decoder), "start an utterance");
        List<EngineOutput.Segment> segments = new ArrayList<>();
        boolean inUtterance = false;
        for (int from = 0; from < samples.length; from += BLOCK_SAMPLES) {
            if (Thread.currentThread().isInterrupted()) {
                // The request is gone: the decoder is left between utterances, ready for the next chunk.
                check(ps.ps_end_utt(decoder), "end an utterance");
                throw new InterruptedIOException("interrupted while decoding");
            }
            short[] block = Pcm16.toShorts(samples, from, Math.min(BLOCK_SAMPLES, samples.length - from));
            check(ps.ps_process_raw(decoder, block, new NativeLong(block.length), 0, 0), "decode");
            boolean inSpeech = ps.ps_get_in_speech(decoder) != 0;
            if (inSpeech) {
                inUtterance = true;
            } else if (inUtterance) {
                check(ps.ps_end_utt(decoder), "end an utterance");
                addUtterance(segments);
                check(ps.ps_start_utt(decoder), "start an utterance");
                inUtterance = false;
            }
        }
        check(ps.ps_end_utt(decoder), "end an utterance");
        if (inUtterance) {
            addUtterance(segments);
        }
        lastRecording = recording;
        return segments;
    }

    private void restoreInitialCepstralMean() {
        cepstralMean.mean.write(0, initialMean, 0, initialMean.length);
        cepstralMean.sum.write(0, initialSum, 0, initialSum.length);
        cepstralMean.frames = initialFrames;
        cepstralMean.writeField("frames");
    }

    private void addUtterance(List<EngineOutput.Segment> segments) {
        var ps = natives.pocketsphinx();
        Pointer logmath = ps.ps_get_logmath(decoder);
        List<TranscriptWord> words = new ArrayList<>();
        double logprobs = 0;
        IntByReference startFrame = new IntByReference();
        IntByReference endFrame = new IntByReference();
        for (Pointer segment = ps.ps_seg_iter(decoder); segment != null; segment = ps.ps_seg_next(segment)) {
            String token = VARIANT.matcher(ps.ps_seg_word(segment)).replaceFirst("");
            if (isFiller(token)) {
                continue;
            }
            ps.ps_seg_frames(segment, startFrame, endFrame);
            double posterior = natives.sphinxbase().logmath_exp(logmath, ps.ps_seg_prob(segment, null, null, null));
            words.add(new TranscriptWord(token, startFrame.getValue() / FRAMES_PER_SECOND,
                    endFrame.getValue() / FRAMES_PER_SECOND));
            logprobs += Math.log(Math.max(1e-6, posterior));
        }
        if (!words.isEmpty()) {
            segments.add(EngineOutput.Segment.ofWords(words, logprobs / words.size()));
        }
    }

    /** Sentence marks, silence and noise fillers: {@code <s>}, {@code <sil>}, {@code [NOISE]}, {@code +breath+}, … */
    private static boolean isFiller(String token) {
        return token.startsWith("<") || token.startsWith("[") || token.startsWith("+");
    }

    private static void check(int status, String what) throws IOException {
        if (status < 0) {
            throw new IOException("pocketsphinx could not " + what + " (status " + status + ")");
        }
    }

    @Override
    public void close() {
        natives.pocketsphinx().ps_free(decoder);
        natives.sphinxbase().cmd_ln_free_r(config);
    }
}
