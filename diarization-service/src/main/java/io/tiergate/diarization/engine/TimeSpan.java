package io.tiergate.diarization.engine;

/** A stretch of a recording, in seconds from its start. */
public record TimeSpan(double start, double end) {
}
