package io.tiergate.audio.form;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.multipart.Attribute;
import io.netty.handler.codec.http.multipart.DefaultHttpDataFactory;
import io.netty.handler.codec.http.multipart.FileUpload;
import io.netty.handler.codec.http.multipart.HttpPostMultipartRequestDecoder;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import io.netty.handler.codec.http.multipart.InterfaceHttpData;
import io.netty.handler.codec.http.multipart.MemoryAttribute;
import io.tiergate.audio.AudioProblems;
import io.tiergate.common.http.UploadSpool;
import io.tiergate.common.problem.Problem;
import io.tiergate.common.problem.ProblemException;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Decodes a {@code multipart/form-data} body with Netty's form decoder (the one Vert.x uses) as it is offered, piece
 * by piece: text fields are kept in memory, up to a small size each; the file part is written to a file of its own in
 * the spool directory as it is decoded, so a recording of any length never sits in the heap. Blocking: offer it pieces
 * on a worker thread, one after another ({@link FormSink} does).
 */
public final class MultipartForms {

    /** The field every OpenAI audio endpoint takes its recording from. */
    public static final String FILE = AudioProblems.FIELD;
    /** Largest text field: OpenAI's prompt is a few hundred tokens; nothing in the form needs more. */
    static final int MAX_FIELD_BYTES = 64 * 1024;
    /** More parts than any audio form has. */
    private static final int MAX_FIELDS = 64;
    /** What the decoder may hold undecoded, e.g. while it looks for the end of a part's headers. */
    private static final int MAX_BUFFERED_BYTES = 1 << 20;
    /**
     * Pieces are offered to the decoder in slices of at most this size, so that part headers running on past
     * {@link #MAX_BUFFERED_BYTES} are noticed whatever size of piece the spool hands over. The size hardly weighs on
     * speed (bench/speech/form-decode.sh, the 60-minute session's 116 MB form): a median 52.0 ms in 64 KB slices,
     * 47.4 ms in 512 KB ones, 45.8 ms in 1 MB ones.
     */
    private static final int SLICE_BYTES = 512 * 1024;
    private static final String CONTENT_TYPE = "Content-Type";
    private static final String FORM = "multipart/form-data";

    private final HttpPostMultipartRequestDecoder decoder;
    private final Path dir;
    private final Set<String> uploads;
    private final Map<String, Integer> fieldLimits;
    private boolean destroyed;

    private MultipartForms(HttpPostMultipartRequestDecoder decoder, Path dir, Set<String> uploads, Map<String, Integer> fieldLimits) {
        this.decoder = decoder;
        this.dir = dir;
        this.uploads = uploads;
        this.fieldLimits = fieldLimits;
    }

    /**
     * A decoder for a body sent as {@code type}; each upload goes to a new file in {@code dir}, which the caller of
     * {@link #finish} owns (and deletes, {@link AudioForm#discard}) from then on.
     *
     * @param uploads     the fields that may be uploads besides {@code file}, each at most once (a diarization's
     *                    {@code transcript}); any other field must be text
     * @param fieldLimits the text fields that may be longer than {@link #MAX_FIELD_BYTES}, with their own limits in bytes
     * @throws ProblemException 415 for a body that is not a form, 400 for a form without its boundary
     */
    public static MultipartForms open(Path dir, String type, Set<String> uploads, Map<String, Integer> fieldLimits) {
        if (!type.toLowerCase(Locale.ROOT).startsWith(FORM)) {
            throw new ProblemException(Problem.ofField(415, "unsupported-media-type", "Unsupported media type", CONTENT_TYPE,
                    "This endpoint takes a form (Content-Type: multipart/form-data) with the recording in its 'file' part, not "
                            + Problem.quoted(type)));
        }
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/");
        Path absolute = dir.toAbsolutePath();
        HttpPostMultipartRequestDecoder decoder;
        try {
            // The media type's name is case-insensitive, the boundary is not; Netty reads the name in lower case only.
            request.headers().set(HttpHeaderNames.CONTENT_TYPE, FORM + type.substring(FORM.length()));
            if (!HttpPostRequestDecoder.isMultipart(request)) {
                throw ProblemException.badField(CONTENT_TYPE, "Content-Type multipart/form-data needs its boundary parameter");
            }
            decoder = new HttpPostMultipartRequestDecoder(new Parts(absolute, fieldLimits), request, StandardCharsets.UTF_8,
                    MAX_FIELDS, MAX_BUFFERED_BYTES);
        } catch (ProblemException e) {
            throw e;
        } catch (RuntimeException e) {
            // Netty reads the parameters as it finds them: an empty boundary fails with an index out of bounds, an
            // unknown charset with the charset's own exception.
            throw ProblemException.badField(CONTENT_TYPE, "Content-Type " + Problem.quoted(type) + " needs a boundary"
                    + " parameter that is not empty, and a charset, if any, that is known: " + e.getMessage());
        }
        // The decoder copies what it is offered, and compacts what it has read after every slice.
        decoder.setDiscardThreshold(0);
        return new MultipartForms(decoder, absolute, Set.copyOf(uploads), Map.copyOf(fieldLimits));
    }

    /**
     * Decodes the body's next piece.
     *
     * @throws ProblemException 400 naming the field for a form that is wrong; 503 when an upload cannot be written
     */
    public void offer(Buffer piece) {
        ByteBuf bytes = piece.getByteBuf();
        for (int from = 0; from < bytes.readableBytes(); from += SLICE_BYTES) {
            int length = Math.min(SLICE_BYTES, bytes.readableBytes() - from);
            offer(new DefaultHttpContent(bytes.retainedSlice(bytes.readerIndex() + from, length)));
        }
    }

    /**
     * The form, once the whole body has been offered; the decoder is done with either way.
     *
     * @throws ProblemException 400 naming the field for a form that is wrong or incomplete; 503 when an upload cannot be
     *                          written or kept
     */
    public AudioForm finish() {
        try {
            offer(LastHttpContent.EMPTY_LAST_CONTENT);
            InterfaceHttpData unfinished = decoder.currentPartialHttpData();
            if (unfinished != null) {
                throw malformed(unfinished.getName(), "the form ends inside its part " + Problem.quoted(unfinished.getName()));
            }
            if (decoder.getBodyHttpDatas().isEmpty()) {
                // Named after the part every audio form carries, which is what the caller is missing.
                throw malformed(FILE, "it has no part: the body is not a form, or does not use the boundary its Content-Type names");
            }
            return form();
        } finally {
            abandon();
        }
    }

    /** Deletes what was decoded and not yet taken by {@link #finish}; the decoder is done with. */
    public void abandon() {
        if (!destroyed) {
            destroyed = true;
            decoder.destroy();
        }
    }

    private void offer(HttpContent content) {
        try {
            decoder.offer(content);
        } catch (DecoderException | IllegalArgumentException e) {
            // Also what Netty throws for a part it cannot take at all, e.g. one naming a charset that does not exist.
            InterfaceHttpData part = decoder.currentPartialHttpData();
            String field = part == null ? null : part.getName();
            // No one named part is to blame for these: they are named after the one every audio form carries.
            if (e instanceof HttpPostRequestDecoder.TooManyFormFieldsException) {
                throw malformed(FILE, "it has more than " + MAX_FIELDS + " parts");
            }
            if (e instanceof HttpPostRequestDecoder.TooLongFormFieldException) {
                throw malformed(FILE, "a part's headers run on for more than " + MAX_BUFFERED_BYTES + " bytes");
            }
            // An upload has no size limit of its own (the spool holds the body to its limit): its failure is the disk's.
            if (e.getCause() instanceof IOException unwritten && part instanceof FileUpload) {
                throw UploadSpool.cannotWrite(dir, unwritten);
            }
            if (e.getCause() instanceof NullPointerException && field == null) {
                // A part without a name has no field to name: its header that should carry one is named instead.
                throw malformed("Content-Disposition", "a part lacks its name (Content-Disposition: form-data; name=\"...\")");
            }
            String reason = e.getCause() instanceof IOException && field != null
                    ? "its field " + Problem.quoted(field) + " is longer than " + fieldLimits.getOrDefault(field, MAX_FIELD_BYTES) + " bytes"
                    : "it cannot be decoded (" + e.getMessage() + ")";
            throw malformed(field, reason);
        } finally {
            content.release();
        }
    }

    private AudioForm form() {
        List<AudioForm.Part> parts = new ArrayList<>();
        try {
            for (InterfaceHttpData data : decoder.getBodyHttpDatas()) {
                String name = data.getName();
                if (data instanceof SpooledUpload file) {
                    if (!FILE.equals(name) && !uploads.contains(name)) {
                        throw ProblemException.badField(name, "Only the field 'file' takes an upload; " + Problem.quoted(name) + " must be text");
                    }
                    if (parts.stream().anyMatch(part -> part instanceof AudioForm.Upload && part.name().equals(name))) {
                        throw ProblemException.badField(name, name + " is given more than once; send one per request");
                    }
                    if (file.length() == 0) {
                        throw FILE.equals(name) ? AudioProblems.unreadable("it is empty")
                                : ProblemException.badField(name, name + " is an empty upload");
                    }
                    // Claimed at once, so that a form refused later still has every file it took deleted.
                    parts.add(new AudioForm.Upload(name, file.claim(), file.getFilename(), file.getContentType(), file.length()));
                } else if (data instanceof Attribute text) {
                    if (FILE.equals(name)) {
                        throw ProblemException.badField(FILE, "file must be an uploaded file (a part with a filename), not a text field");
                    }
                    parts.add(new AudioForm.Field(name, text.getValue()));
                }
            }
            if (parts.stream().noneMatch(part -> part instanceof AudioForm.Upload && part.name().equals(FILE))) {
                throw ProblemException.badField(FILE, "file is required: the recording, as a part of the form with a filename");
            }
            return new AudioForm(parts);
        } catch (IOException e) {
            new AudioForm(parts).discard();
            throw UploadSpool.cannotWrite(dir, e);
        } catch (RuntimeException e) {
            new AudioForm(parts).discard();
            throw e;
        }
    }

    private static ProblemException malformed(String field, String reason) {
        return new ProblemException(Problem.malformedForm(field, reason));
    }

    /**
     * Text fields in memory, each up to {@link #MAX_FIELD_BYTES} unless given a limit of its own; uploads written to
     * files of their own in the spool directory as they are decoded ({@link SpooledUpload}).
     */
    private static final class Parts extends DefaultHttpDataFactory {

        private final Path directory;
        private final Map<String, Integer> fieldLimits;
        /** Every upload begun, until the decoder is done with it. */
        private final List<SpooledUpload> uploads = new ArrayList<>();

        Parts(Path directory, Map<String, Integer> fieldLimits) {
            super(StandardCharsets.UTF_8);
            this.directory = directory;
            this.fieldLimits = fieldLimits;
        }

        @Override
        public FileUpload createFileUpload(HttpRequest request, String name, String filename, String contentType,
                String contentTransferEncoding, Charset charset, long size) {
            SpooledUpload upload = new SpooledUpload(directory, name, filename, contentType, contentTransferEncoding, charset);
            uploads.add(upload);
            return upload;
        }

        @Override
        public void removeHttpDataFromClean(HttpRequest request, InterfaceHttpData data) {
            uploads.remove(data);
            super.removeHttpDataFromClean(request, data);
        }

        /** The decoder is done: every upload is released, its file deleted unless the form has claimed it. */
        @Override
        public void cleanRequestHttpData(HttpRequest request) {
            uploads.stream().filter(upload -> upload.refCnt() > 0).forEach(SpooledUpload::release);
            uploads.clear();
            super.cleanRequestHttpData(request);
        }

        @Override
        public Attribute createAttribute(HttpRequest request, String name) {
            return limited(new MemoryAttribute(name, StandardCharsets.UTF_8));
        }

        @Override
        public Attribute createAttribute(HttpRequest request, String name, long definedSize) {
            return limited(new MemoryAttribute(name, StandardCharsets.UTF_8));
        }

        @Override
        public Attribute createAttribute(HttpRequest request, String name, String value) {
            Attribute attribute = limited(new MemoryAttribute(name, StandardCharsets.UTF_8));
            try {
                attribute.setValue(value);
            } catch (IOException tooLong) {
                attribute.release();
                throw new HttpPostRequestDecoder.ErrorDataDecoderException(tooLong);
            }
            return attribute;
        }

        private Attribute limited(Attribute attribute) {
            attribute.setMaxSize(fieldLimits.getOrDefault(attribute.getName(), MAX_FIELD_BYTES));
            return attribute;
        }
    }
}
