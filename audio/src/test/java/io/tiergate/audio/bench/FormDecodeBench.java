package io.tiergate.audio.bench;

import io.netty.buffer.Unpooled;
import io.tiergate.audio.form.AudioForm;
import io.tiergate.audio.form.MultipartForms;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Development runner of bench/speech/form-decode.sh: how long the pods' and the router's form decoder takes over a
 * recording's form, offered from memory in the 1 MB pieces the upload spool hands over, and how long deleting its
 * upload then takes. Arguments: {@code <recording> <spool dir> [rounds, default 15]}; the first third of the rounds
 * warm up and are not counted.
 */
public final class FormDecodeBench {

    private static final String BOUNDARY = "----tiergate-bench";
    private static final int PIECE_BYTES = 1 << 20;

    private FormDecodeBench() {
    }

    public static void main(String[] args) throws Exception {
        Path recording = Path.of(args[0]);
        Path spool = Files.createDirectories(Path.of(args[1]));
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 15;
        byte[] body = form(Files.readAllBytes(recording), recording.getFileName().toString());
        int warmUp = rounds / 3;
        double[] decode = new double[rounds - warmUp];
        double[] delete = new double[rounds - warmUp];
        for (int round = 0; round < rounds; round++) {
            long started = System.nanoTime();
            MultipartForms decoder = MultipartForms.open(spool, "multipart/form-data; boundary=" + BOUNDARY, Set.of(), Map.of());
            for (int from = 0; from < body.length; from += PIECE_BYTES) {
                decoder.offer(Buffer.buffer(Unpooled.wrappedBuffer(body, from, Math.min(PIECE_BYTES, body.length - from))));
            }
            AudioForm form = decoder.finish();
            long decoded = System.nanoTime();
            form.discard();
            long deleted = System.nanoTime();
            if (round >= warmUp) {
                decode[round - warmUp] = (decoded - started) / 1e6;
                delete[round - warmUp] = (deleted - decoded) / 1e6;
            }
        }
        System.out.printf(Locale.ROOT, "%s: a %d-byte form, %d rounds after %d to warm up: decoding median %.1f ms"
                        + " (%.1f to %.1f), deleting its upload median %.1f ms%n", recording.getFileName(), body.length,
                decode.length, warmUp, median(decode), min(decode), max(decode), median(delete));
    }

    private static byte[] form(byte[] recording, String filename) {
        byte[] head = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                + "\"\r\nContent-Type: audio/wav\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] tail = ("\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"response_format\"\r\n\r\nrttm\r\n--"
                + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] body = Arrays.copyOf(head, head.length + recording.length + tail.length);
        System.arraycopy(recording, 0, body, head.length, recording.length);
        System.arraycopy(tail, 0, body, head.length + recording.length, tail.length);
        return body;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static double min(double[] values) {
        return Arrays.stream(values).min().orElse(Double.NaN);
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }
}
