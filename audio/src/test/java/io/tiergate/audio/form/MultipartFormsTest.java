package io.tiergate.audio.form;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiergate.common.problem.ProblemException;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Forms the decoder cannot take are the caller's mistake, told in words: a 400 naming the part to look at. */
class MultipartFormsTest {

    private static final String TYPE = "multipart/form-data; boundary=b";
    private static final int PIECE = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void aFormIsReadIntoItsFieldsAndUploads() throws Exception {
        AudioForm form = read("--b\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nwhisper-1\r\n"
                + "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n\r\nRIFF\r\n--b--\r\n");

        assertThat(form.values("model")).containsExactly("whisper-1");
        assertThat(Files.readString(form.file().path())).isEqualTo("RIFF");
        assertThat(form.file().filename()).isEqualTo("a.wav");
    }

    @Test
    void partsLargerThanThePiecesTheSpoolIsReadInComeWhole() throws Exception {
        String transcript = "{\"text\": \"" + "words ".repeat(500_000) + "\"}";
        String recording = "RIFF" + "\u0001\u00ff".repeat(1_500_000);
        byte[] body = ("--b\r\nContent-Disposition: form-data; name=\"transcript\"\r\n\r\n"
                + transcript + "\r\n--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n\r\n"
                + recording + "\r\n--b--\r\n").getBytes(StandardCharsets.ISO_8859_1);

        AudioForm form = decode(body, Map.of("transcript", 16 << 20));

        assertThat(form.values("transcript")).containsExactly(transcript);
        assertThat(Files.readString(form.file().path(), StandardCharsets.ISO_8859_1)).isEqualTo(recording);
    }

    @Test
    void anUploadIsTheFormsOnceDecodedAndGoesWhenTheFormIsDiscarded() throws Exception {
        AudioForm form = read("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n\r\nRIFF\r\n--b--\r\n");

        assertThat(spooled()).containsExactly(form.file().path());
        assertThat(form.file().size()).isEqualTo(4);
        form.discard();
        assertThat(spooled()).isEmpty();
    }

    @Test
    void theUploadsOfAFormRefusedOrAbandonedAreDeleted() throws Exception {
        String upload = "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n\r\nRIFF\r\n";
        assertThatThrownBy(() -> read(upload + upload + "--b--\r\n")).isInstanceOf(ProblemException.class);
        assertThat(spooled()).isEmpty();

        MultipartForms decoder = MultipartForms.open(dir, TYPE, Set.of(), Map.of());
        decoder.offer(Buffer.buffer(upload + "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"b.wav\"\r\n\r\n"
                + "RIFF".repeat(100_000)));
        assertThat(spooled()).hasSize(2);
        decoder.abandon();
        assertThat(spooled()).isEmpty();
    }

    @Test
    void partHeadersThatRunOnAreMalformedAndSaySo() {
        String body = "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\nX-Pad: "
                + "a".repeat(2_000_000) + "\r\n\r\nRIFF\r\n--b--\r\n";

        assertThatThrownBy(() -> read(body)).isInstanceOfSatisfying(ProblemException.class, refused -> {
            assertThat(refused.problem().status()).isEqualTo(400);
            assertThat(refused.problem().field()).isEqualTo("file");
            assertThat(refused.problem().detail()).contains("headers run on");
        });
    }

    @Test
    void aContentTypeWhoseBoundaryOrCharsetCannotBeReadIsA400NamingIt() {
        for (String type : new String[] {"multipart/form-data", "multipart/form-data; boundary=",
                "multipart/form-data; boundary= ", "multipart/form-data; boundary=;", "multipart/form-data; charset=",
                "multipart/form-data; boundary=b; charset=bogus-charset", "multipart/form-data; boundary=b; charset=x\u0000"}) {
            assertThatThrownBy(() -> MultipartForms.open(dir, type, Set.of(), Map.of())).as(type)
                    .isInstanceOfSatisfying(ProblemException.class, refused -> {
                        assertThat(refused.problem().status()).isEqualTo(400);
                        assertThat(refused.problem().field()).isEqualTo("Content-Type");
                    });
        }
        assertThatThrownBy(() -> MultipartForms.open(dir, "application/json", Set.of(), Map.of()))
                .isInstanceOfSatisfying(ProblemException.class, refused -> {
                    assertThat(refused.problem().status()).isEqualTo(415);
                    assertThat(refused.problem().field()).isEqualTo("Content-Type");
                });
    }

    @Test
    void anUploadTheSpoolCannotTakeIsTheServicesTroubleNotTheCallers() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("spool"), "");
        MultipartForms decoder = MultipartForms.open(notADirectory, TYPE, Set.of(), Map.of());

        assertThatThrownBy(() -> decoder.offer(Buffer.buffer("--b\r\nContent-Disposition: form-data; name=\"file\"; "
                + "filename=\"a.wav\"\r\n\r\nRIFF" + "....".repeat(10_000)))).isInstanceOfSatisfying(ProblemException.class,
                refused -> {
                    assertThat(refused.problem().status()).isEqualTo(503);
                    assertThat(refused.problem().type()).endsWith("spool-unavailable");
                });
        decoder.abandon();
    }

    private List<Path> spooled() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }

    private AudioForm read(String body) {
        return decode(body.getBytes(StandardCharsets.ISO_8859_1), Map.of());
    }

    /** The body offered in the pieces the spool hands over. */
    private AudioForm decode(byte[] body, Map<String, Integer> fieldLimits) {
        MultipartForms decoder = MultipartForms.open(dir, TYPE, Set.of(), fieldLimits);
        try {
            for (int from = 0; from < body.length; from += PIECE) {
                decoder.offer(Buffer.buffer().appendBytes(body, from, Math.min(PIECE, body.length - from)));
            }
        } catch (RuntimeException e) {
            decoder.abandon();
            throw e;
        }
        return decoder.finish();
    }
}
