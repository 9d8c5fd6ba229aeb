package io.tiergate.audio;

/**
 * What a recording is, read from its container without decoding it where the container says.
 *
 * @param format          the accepted format it was recognised as: {@code wav}, {@code flac}, {@code mp3}, {@code mp4},
 *                        {@code ogg}, {@code webm}
 * @param codec           the audio stream's codec as ffprobe names it ({@code pcm_s16le}, {@code opus}, …)
 * @param durationSeconds how long it plays
 * @param bytes           the file's size
 * @param sampleRate      the stream's sample rate in Hz
 * @param channels        the stream's channel count
 */
public record AudioInfo(String format, String codec, double durationSeconds, long bytes, int sampleRate, int channels) {
}
