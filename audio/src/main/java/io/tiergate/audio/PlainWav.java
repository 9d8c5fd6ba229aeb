package io.tiergate.audio;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/**
 * A plain PCM WAV file read by the JDK's own WAV reader, without starting ffprobe or ffmpeg, which cost about a tenth of
 * a second a file each, on every hop an upload takes: its header (format and duration), and, when it already holds
 * what the engines take (16 kHz mono 16-bit), its samples. Only a file that is unmistakably whole is read here: anything
 * else (another container, a compressed or unusual encoding, a header claiming more data than the file holds, a live
 * WAV recording no length) is left to ffprobe and ffmpeg, and the samples are held to the header's duration as ffmpeg's
 * are.
 */
final class PlainWav {

    private static final byte[] RIFF = "RIFF".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] WAVE = "WAVE".getBytes(StandardCharsets.US_ASCII);
    /** RIFF and WAVE, a PCM fmt chunk and the data chunk's own header: the least a WAV file holds besides its data. */
    private static final int SMALLEST_HEADER_BYTES = 44;

    private PlainWav() {
    }

    /** What the header says of a plain PCM WAV file; empty for any file it does not vouch for. */
    static Optional<AudioInfo> read(Path file, long bytes) {
        try {
            if (!startsAsWave(file)) {
                return Optional.empty();
            }
            AudioFileFormat header = AudioSystem.getAudioFileFormat(file.toFile());
            AudioFormat format = header.getFormat();
            long frames = header.getFrameLength();
            Optional<String> codec = codecOf(format);
            if (header.getType() != AudioFileFormat.Type.WAVE || codec.isEmpty() || frames <= 0
                    || !consistent(format) || frames * format.getFrameSize() > bytes - SMALLEST_HEADER_BYTES) {
                return Optional.empty();
            }
            return Optional.of(new AudioInfo("wav", codec.get(), frames / (double) format.getSampleRate(), bytes,
                    Math.round(format.getSampleRate()), format.getChannels()));
        } catch (UnsupportedAudioFileException | IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The samples of a file this reader vouches for, when they are already 16 kHz mono 16-bit little-endian and as long
     * as the probe found: the file's data as it is, to the length its header states.
     */
    static Optional<InputStream> samples(Path file, AudioInfo probed) {
        if (!probed.format().equals("wav") || !probed.codec().equals("pcm_s16le")
                || probed.sampleRate() != PcmDecoder.SAMPLE_RATE || probed.channels() != 1) {
            return Optional.empty();
        }
        try {
            AudioInputStream samples = AudioSystem.getAudioInputStream(file.toFile());
            AudioFormat format = samples.getFormat();
            // The probe may be ffprobe's, of a WAV this reader does not vouch for (a data size never filled in): only
            // the length the probe read is taken from the file.
            if (codecOf(format).filter("pcm_s16le"::equals).isPresent() && format.getChannels() == 1
                    && format.getSampleRate() == PcmDecoder.SAMPLE_RATE && consistent(format)
                    && samples.getFrameLength() == Math.round(probed.durationSeconds() * PcmDecoder.SAMPLE_RATE)) {
                return Optional.of(samples);
            }
            samples.close();
            return Optional.empty();
        } catch (UnsupportedAudioFileException | IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether the frame size is what the channels and sample size make: the JDK takes an extensible or float header's
     * block alignment as it stands, and one that overstates it would understate the duration the router holds quota
     * and limits to.
     */
    private static boolean consistent(AudioFormat format) {
        return format.getSampleRate() > 0 && format.getChannels() > 0
                && format.getFrameSize() == format.getChannels() * ((format.getSampleSizeInBits() + 7) / 8);
    }

    private static boolean startsAsWave(Path file) throws IOException {
        byte[] start = new byte[12];
        try (InputStream in = Files.newInputStream(file)) {
            if (in.readNBytes(start, 0, start.length) < start.length) {
                return false;
            }
        }
        return Arrays.equals(start, 0, 4, RIFF, 0, 4) && Arrays.equals(start, 8, 12, WAVE, 0, 4);
    }

    /** The encoding as ffprobe names it, for the PCM encodings ffmpeg decodes from WAV. */
    private static Optional<String> codecOf(AudioFormat format) {
        int bits = format.getSampleSizeInBits();
        AudioFormat.Encoding encoding = format.getEncoding();
        if (encoding.equals(AudioFormat.Encoding.PCM_UNSIGNED) && bits == 8) {
            return Optional.of("pcm_u8");
        }
        if (encoding.equals(AudioFormat.Encoding.PCM_SIGNED) && !format.isBigEndian()
                && (bits == 16 || bits == 24 || bits == 32)) {
            return Optional.of("pcm_s" + bits + "le");
        }
        if (encoding.equals(AudioFormat.Encoding.PCM_FLOAT) && (bits == 32 || bits == 64)) {
            return Optional.of("pcm_f" + bits + "le");
        }
        return Optional.empty();
    }
}
