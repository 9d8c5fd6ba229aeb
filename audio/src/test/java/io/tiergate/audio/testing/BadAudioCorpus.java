package io.tiergate.audio.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Uploads an audio endpoint must take or refuse, written with ffmpeg (from the PATH) into a directory: one short file
 * in each format OpenAI's audio API takes, and files that are not audio, are broken, are in another format, or are too
 * long, each with the status its refusal carries. The audio is a generated tone, so no asset is needed.
 *
 * <p>Run the code under test with {@link #MAX_SECONDS} as its longest recording. Truncated and corrupt files are
 * refused only when they are decoded: their headers are sound, so a probe takes them, and the decode then yields less
 * (or more) audio than the header states. A file that decodes consistently with its header is taken even when
 * damaged: a WAV whose header claims more data than the file holds is measured by ffmpeg from the file's size, so it
 * probes and decodes to the audio that is there.
 */
public final class BadAudioCorpus {

    /** The longest recording the code under test must take: every accepted case is shorter, the too-long ones longer. */
    public static final double MAX_SECONDS = 5;

    private static final double GOOD_SECONDS = 2;
    private static final double LONG_SECONDS = 8;
    private static final String TONE = "sine=frequency=440:sample_rate=44100:duration=";
    /** The plain WAV header, as ffmpeg writes it with {@code -fflags +bitexact} (no LIST chunk naming the encoder). */
    private static final int WAV_HEADER_BYTES = 44;

    /** Which step refuses a case. */
    public enum RefusedBy {
        /** Taken: it probes and decodes. */
        NONE,
        /** Reading its format and duration. */
        PROBE,
        /** Decoding it, after the probe took it. */
        DECODE
    }

    /**
     * One upload.
     *
     * @param name      what it is, for test names
     * @param file      the file, named with the extension a client would send
     * @param status    200 when it is taken, else the status of its refusal: 400 (not readable audio), 413 (too long),
     *                  415 (a format not taken)
     * @param refusedBy the step that refuses it
     * @param seconds   how long a taken case plays, as decoded; NaN for refused ones
     */
    public record Case(String name, Path file, int status, RefusedBy refusedBy, double seconds) {

        public boolean accepted() {
            return status == 200;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private final Path dir;
    private final List<Case> cases = new ArrayList<>();

    private BadAudioCorpus(Path dir) {
        this.dir = dir;
    }

    /** Writes every case into {@code dir} (seven runs of ffmpeg) and lists them. */
    public static List<Case> writeTo(Path dir) throws IOException {
        BadAudioCorpus corpus = new BadAudioCorpus(dir);
        corpus.encode();
        corpus.listAccepted();
        corpus.listUnreadable();
        corpus.listUnsupportedAndTooLong();
        for (String source : List.of("whole.wav", "whole.mp3", "whole.flac", "long.flac")) {
            Files.delete(dir.resolve(source));
        }
        return List.copyOf(corpus.cases);
    }

    /** Encodes the audio the cases are made of, several files per run of ffmpeg: each run costs a process start. */
    private void encode() throws IOException {
        ffmpeg(List.of("-f", "lavfi", "-i", TONE + GOOD_SECONDS,
                "-ac", "2", "-c:a", "pcm_s16le", file("speech.wav"),
                "-c:a", "flac", file("speech.flac"),
                "-c:a", "libmp3lame", "-b:a", "64k", file("speech.mp3"),
                "-c:a", "libmp3lame", "-f", "mp3", file("speech.mpga"),
                "-c:a", "aac", file("speech.m4a"),
                "-c:a", "mp2", "-f", "mpeg", file("speech.mpeg"),
                "-c:a", "libvorbis", file("speech.ogg"),
                "-c:a", "libopus", file("speech.opus"),
                "-c:a", "libopus", file("speech.webm"),
                "-c:a", "pcm_s16be", file("speech.aiff"),
                "-c:a", "wmav2", file("speech.wma")));
        // The video lasts 3 s, its audio 2 s.
        ffmpeg(List.of("-f", "lavfi", "-i", "testsrc=size=64x64:rate=10:duration=3", "-f", "lavfi", "-i",
                TONE + GOOD_SECONDS,
                "-map", "0:v", "-map", "1:a", "-c:v", "mpeg4", "-c:a", "aac", file("clip.mp4"),
                "-map", "0:v", "-c:v", "mpeg4", file("video-only.mp4"),
                "-map", "0:v", "-frames:v", "1", file("cover.png")));
        // ffprobe guesses the duration of a VBR MP3 without a Xing header from the bitrate of its first frames: here
        // a second of silence, coded at a fraction of the noise that follows, so the guess is 50 % too long.
        ffmpeg(List.of("-filter_complex", "aevalsrc=0:s=44100:d=1[quiet];anoisesrc=r=44100:a=0.5:d=1[noise];"
                + "[quiet][noise]concat=v=0:a=1", "-c:a", "libmp3lame", "-q:a", "0", "-write_xing", "0", file("vbr.mp3")));
        ffmpeg(List.of("-f", "lavfi", "-i", TONE + 4,
                "-c:a", "pcm_s16le", "-ar", "16000", "-fflags", "+bitexact", file("whole.wav"),
                "-c:a", "libmp3lame", "-b:a", "64k", file("whole.mp3"),
                "-c:a", "flac", file("whole.flac")));
        ffmpeg(List.of("-f", "lavfi", "-i", TONE + LONG_SECONDS,
                "-c:a", "pcm_s16le", "-ar", "16000", file("long.wav"),
                "-c:a", "flac", file("long.flac")));
        // A browser's MediaRecorder writes WebM as a stream, so ffmpeg cannot go back to write the duration either.
        for (String recording : List.of("recorder.webm:" + GOOD_SECONDS, "long-recorder.webm:" + LONG_SECONDS)) {
            String[] nameAndSeconds = recording.split(":");
            ffmpeg(List.of("-f", "lavfi", "-i", TONE + nameAndSeconds[1], "-c:a", "libopus", "-f", "webm", "pipe:1"),
                    dir.resolve(nameAndSeconds[0]));
        }
    }

    private void listAccepted() throws IOException {
        accepted("wav", "speech.wav");
        accepted("flac", "speech.flac");
        accepted("mp3", "speech.mp3");
        accepted("mpga (MP3)", "speech.mpga");
        accepted("m4a (AAC)", "speech.m4a");
        accepted("mpeg (MPEG-PS, MP2)", "speech.mpeg");
        accepted("ogg (Vorbis)", "speech.ogg");
        accepted("opus (Ogg)", "speech.opus");
        accepted("webm (Opus)", "speech.webm");
        accepted("mp4 (video, with shorter AAC audio, whose length counts)", "clip.mp4");
        accepted("webm without duration (MediaRecorder), counted by decoding", "recorder.webm");
        accepted("mp3 VBR without Xing header, counted by decoding", "vbr.mp3");

        // The header says 4 s; the file holds the first 1.33 s.
        byte[] wav = Files.readAllBytes(dir.resolve("whole.wav"));
        int kept = WAV_HEADER_BYTES + 16000 * 2 * 4 / 3;
        cases.add(new Case("wav whose header claims more data than it holds",
                Files.write(dir.resolve("overstated.wav"), Arrays.copyOf(wav, kept)), 200, RefusedBy.NONE,
                (kept - WAV_HEADER_BYTES) / 2 / 16000.0));
    }

    private void listUnreadable() throws IOException {
        refused("empty file", Files.write(dir.resolve("empty.wav"), new byte[0]), 400, RefusedBy.PROBE);
        refused("text named .wav", Files.writeString(dir.resolve("notes.wav"), "These are the minutes, not a recording.\n"),
                400, RefusedBy.PROBE);
        refused("PNG image", dir.resolve("cover.png"), 400, RefusedBy.PROBE);
        byte[] noise = new byte[50_000];
        new Random(7).nextBytes(noise);
        refused("random bytes named .mp3", Files.write(dir.resolve("noise.mp3"), noise), 400, RefusedBy.PROBE);
        byte[] header = Arrays.copyOf(Files.readAllBytes(dir.resolve("whole.wav")), WAV_HEADER_BYTES);
        refused("wav header with no data", Files.write(dir.resolve("header-only.wav"), header), 400, RefusedBy.PROBE);
        refused("mp4 with video only", dir.resolve("video-only.mp4"), 400, RefusedBy.PROBE);
        // An HLS playlist makes ffmpeg open the files and URLs it lists: never followed from an upload.
        String playlist = "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\n"
                + dir.resolve("speech.wav").toAbsolutePath() + "\n#EXT-X-ENDLIST\n";
        refused("HLS playlist named .wav", Files.writeString(dir.resolve("playlist.wav"), playlist), 400, RefusedBy.PROBE);

        byte[] mp3 = Files.readAllBytes(dir.resolve("whole.mp3"));
        refused("mp3 truncated to its first 30 %", Files.write(dir.resolve("truncated.mp3"),
                Arrays.copyOf(mp3, mp3.length * 3 / 10)), 400, RefusedBy.DECODE);

        byte[] corrupt = Files.readAllBytes(dir.resolve("whole.flac"));
        Random random = new Random(11);
        for (int i = corrupt.length / 4; i < corrupt.length; i++) {
            corrupt[i] = (byte) random.nextInt(256);
        }
        refused("flac whose frames after the first quarter are garbage", Files.write(dir.resolve("corrupt.flac"), corrupt),
                400, RefusedBy.DECODE);

        byte[] understated = Files.readAllBytes(dir.resolve("long.flac"));
        setFlacTotalSamples(understated, 44_100);
        refused("flac whose header says 1 s but holds 8 s", Files.write(dir.resolve("understated.flac"), understated),
                400, RefusedBy.DECODE);
    }

    private void listUnsupportedAndTooLong() {
        refused("aiff", dir.resolve("speech.aiff"), 415, RefusedBy.PROBE);
        refused("wma (ASF)", dir.resolve("speech.wma"), 415, RefusedBy.PROBE);
        refused("wav longer than the maximum", dir.resolve("long.wav"), 413, RefusedBy.PROBE);
        refused("webm without duration longer than the maximum", dir.resolve("long-recorder.webm"), 413,
                RefusedBy.PROBE);
    }

    private void accepted(String name, String file) {
        cases.add(new Case(name, dir.resolve(file), 200, RefusedBy.NONE, GOOD_SECONDS));
    }

    private void refused(String name, Path file, int status, RefusedBy refusedBy) {
        cases.add(new Case(name, file, status, refusedBy, Double.NaN));
    }

    private String file(String name) {
        return dir.resolve(name).toString();
    }

    /**
     * Rewrites the total sample count in a FLAC file's STREAMINFO block: the low 36 bits of the 8 bytes from byte 18
     * (after "fLaC", the block header, and the block and frame sizes).
     */
    private static void setFlacTotalSamples(byte[] flac, long totalSamples) {
        if (!new String(flac, 0, 4, StandardCharsets.US_ASCII).equals("fLaC")) {
            throw new IllegalStateException("not a FLAC file");
        }
        ByteBuffer bytes = ByteBuffer.wrap(flac);
        bytes.putLong(18, (bytes.getLong(18) & ~0xF_FFFF_FFFFL) | totalSamples);
    }

    private void ffmpeg(List<String> args) throws IOException {
        ffmpeg(args, null);
    }

    private void ffmpeg(List<String> args, Path stdout) throws IOException {
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-nostdin", "-v", "error", "-y"));
        command.addAll(args);
        Process process = new ProcessBuilder(command)
                .redirectOutput(stdout == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.to(stdout.toFile()))
                .start();
        process.getOutputStream().close();
        String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IOException("ffmpeg failed to write a corpus file: " + command + ": " + errors);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
