package io.tiergate.audio.form;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * An audio form as the caller sent it: its parts in order, text fields and uploads, each upload written to a file of
 * its own. The recording is the upload named {@code file}; a capability may take other uploads (a diarization's
 * {@code transcript}).
 *
 * @param parts the parts, in the order sent; exactly one upload named {@code file}
 */
public record AudioForm(List<Part> parts) {

    /** The field every audio endpoint takes its recording from. */
    public static final String FILE = MultipartForms.FILE;

    public AudioForm {
        parts = List.copyOf(parts);
    }

    /** A part of the form. */
    public sealed interface Part permits Field, Upload {
        String name();
    }

    /** A text field. */
    public record Field(String name, String value) implements Part {}

    /**
     * An uploaded part: its bytes as sent, in {@code path}.
     *
     * @param filename    the name the caller gave it (OpenAI reads the format from its extension), possibly empty
     * @param contentType the part's media type, {@code application/octet-stream} when it gave none
     */
    public record Upload(String name, Path path, String filename, String contentType, long size) implements Part {}

    /** The recording. */
    public Upload file() {
        return parts.stream().filter(part -> part instanceof Upload && part.name().equals(FILE)).map(Upload.class::cast)
                .findFirst().orElseThrow(() -> new IllegalStateException("an audio form always has its file"));
    }

    /** Deletes the files of the uploads: the form is no longer needed. */
    public void discard() {
        for (Part part : parts) {
            if (part instanceof Upload upload) {
                try {
                    Files.deleteIfExists(upload.path());
                } catch (IOException e) {
                    throw new UncheckedIOException("Cannot delete the upload " + upload.path(), e);
                }
            }
        }
    }

    /** Every text value sent under {@code name}, in order; an empty list for an absent field. */
    public List<String> values(String name) {
        return parts.stream().filter(part -> part instanceof Field && part.name().equals(name))
                .map(part -> ((Field) part).value()).toList();
    }

    /** How many parts, text or upload, are sent under {@code name}. */
    public long count(String name) {
        return parts.stream().filter(part -> part.name().equals(name)).count();
    }

    /** The parts whose names {@code keep} accepts, in order. */
    public List<Part> only(Predicate<String> keep) {
        return parts.stream().filter(part -> keep.test(part.name())).toList();
    }

    /** The same form with {@code model} in place of the caller's, or first where it sent none. */
    public AudioForm withModel(String model) {
        List<Part> changed = new ArrayList<>(parts);
        for (int i = 0; i < changed.size(); i++) {
            if (changed.get(i) instanceof Field field && field.name().equals("model")) {
                changed.set(i, new Field("model", model));
                return new AudioForm(changed);
            }
        }
        changed.add(0, new Field("model", model));
        return new AudioForm(changed);
    }
}
