package io.tiergate.router.capability.transcription;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * An OpenAI audio form as the caller sent it: its text fields in order, and where its {@code file} part stands among
 * them, that part's recording written to a file of its own.
 *
 * @param fields    the text fields, in the order sent
 * @param filePosition how many text fields came before the file part
 * @param file      the recording
 */
public record AudioForm(List<Field> fields, int filePosition, Upload file) {

    /** A text field. */
    public record Field(String name, String value) {}

    /**
     * The file part: its bytes as sent, in {@code path}.
     *
     * @param filename    the name the caller gave it (OpenAI reads the format from its extension), possibly empty
     * @param contentType the part's media type, {@code application/octet-stream} when it gave none
     */
    public record Upload(Path path, String filename, String contentType, long size) {}

    /** Deletes the recording's file: the form is no longer needed. */
    public void discard() {
        try {
            Files.deleteIfExists(file.path());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete the recording " + file.path(), e);
        }
    }

    /** Every value sent under {@code name}, in order; an empty list for an absent field. */
    public List<String> values(String name) {
        return fields.stream().filter(field -> field.name().equals(name)).map(Field::value).toList();
    }
}
