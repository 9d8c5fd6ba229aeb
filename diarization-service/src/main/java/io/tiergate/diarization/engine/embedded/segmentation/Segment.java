package io.tiergate.diarization.engine.embedded.segmentation;

/** Frames {@code [start, end)} of a recording taken to hold one speaker. */
public record Segment(int start, int end) {

    public int length() {
        return end - start;
    }
}
