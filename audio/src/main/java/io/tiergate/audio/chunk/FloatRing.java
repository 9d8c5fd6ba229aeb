package io.tiergate.audio.chunk;

/**
 * The latest stretch of a sequence of floats (samples, or window probabilities), addressed by position in the whole
 * sequence: appended at the end, dropped from the start, never moved while it fits.
 */
final class FloatRing {

    private float[] data;
    private int head;
    private int length;
    private long start;

    FloatRing(int capacity) {
        data = new float[capacity];
    }

    /** The position of the first value held. */
    long start() {
        return start;
    }

    /** The position after the last value held. */
    long end() {
        return start + length;
    }

    int length() {
        return length;
    }

    void append(float[] values, int count) {
        makeRoom(count);
        int tail = (head + length) % data.length;
        int first = Math.min(count, data.length - tail);
        System.arraycopy(values, 0, data, tail, first);
        System.arraycopy(values, first, data, 0, count - first);
        length += count;
    }

    void append(float value) {
        makeRoom(1);
        data[(head + length) % data.length] = value;
        length++;
    }

    private void makeRoom(int count) {
        if (length + count > data.length) {
            // Only when a reader keeps more than its bound foresaw; the ring then keeps working, larger.
            data = copy(start, end(), Math.max(2 * data.length, length + count));
            head = 0;
        }
    }

    float get(long position) {
        return data[index(position)];
    }

    /** Forgets the values before {@code position}. */
    void dropBefore(long position) {
        int dropped = (int) Math.min(length, Math.max(0, position - start));
        head = (head + dropped) % data.length;
        length -= dropped;
        start += dropped;
    }

    /** A copy of the values from {@code from} to {@code to}, which must be held. */
    float[] copy(long from, long to) {
        return copy(from, to, (int) (to - from));
    }

    private float[] copy(long from, long to, int capacity) {
        if (from < start || to > end() || from > to) {
            throw new IllegalArgumentException("[" + from + ", " + to + ") is not within [" + start + ", " + end() + ")");
        }
        float[] out = new float[capacity];
        int count = (int) (to - from);
        int first = index(from);
        int firstPart = Math.min(count, data.length - first);
        System.arraycopy(data, first, out, 0, firstPart);
        System.arraycopy(data, 0, out, firstPart, count - firstPart);
        return out;
    }

    private int index(long position) {
        return (int) ((head + (position - start)) % data.length);
    }
}
