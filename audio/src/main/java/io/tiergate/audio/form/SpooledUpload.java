package io.tiergate.audio.form;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.multipart.MemoryFileUpload;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * An uploaded part written, as the decoder hands it over, to a file of its own in the spool directory. Not Netty's
 * {@code DiskFileUpload}, which forces every upload to the disk once it is whole: that fsync was two thirds of the time
 * the 60-minute session's 116 MB form took to decode (bench/speech/form-decode.sh: 146.4 ms with it, 48.3 ms
 * without), for a file deleted as soon as its request is answered, and lost with that request in a crash anyway. Its
 * content is read from its file, never through the in-memory accessors it inherits.
 */
final class SpooledUpload extends MemoryFileUpload {

    private static final Logger LOG = Logger.getLogger(SpooledUpload.class);

    private final Path file;
    private FileChannel channel;
    private boolean claimed;

    SpooledUpload(Path dir, String name, String filename, String contentType, String transferEncoding, Charset charset) {
        super(name, filename, contentType, transferEncoding, charset, 0);
        this.file = dir.resolve(UUID.randomUUID() + ".upload");
    }

    @Override
    public void addContent(ByteBuf buffer, boolean last) throws IOException {
        try {
            if (channel == null) {
                channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            }
            if (buffer != null) {
                for (ByteBuffer piece : buffer.nioBuffers()) {
                    size += piece.remaining();
                    while (piece.hasRemaining()) {
                        channel.write(piece);
                    }
                }
            }
        } finally {
            if (buffer != null) {
                buffer.release();
            }
        }
        if (last) {
            channel.close();
            setCompleted();
        }
    }

    /** Takes the file out of the decoder's hands: the form deletes it from then on. */
    Path claim() {
        claimed = true;
        return file;
    }

    /** What the decoder does with a part it is done with: the file goes, unless the form has claimed it. */
    @Override
    public void delete() {
        try {
            if (channel != null) {
                channel.close();
            }
            if (!claimed) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            LOG.warnf("Upload not deleted: %s", e.toString());
        }
    }

    @Override
    public boolean isInMemory() {
        return false;
    }

    @Override
    public File getFile() {
        return file.toFile();
    }

    @Override
    public byte[] get() {
        throw onDisk();
    }

    @Override
    public ByteBuf getByteBuf() {
        throw onDisk();
    }

    @Override
    public ByteBuf getChunk(int length) {
        throw onDisk();
    }

    @Override
    public String getString() {
        throw onDisk();
    }

    @Override
    public String getString(Charset encoding) {
        throw onDisk();
    }

    @Override
    public boolean renameTo(File dest) {
        throw onDisk();
    }

    @Override
    public void setContent(ByteBuf buffer) {
        throw onDisk();
    }

    @Override
    public void setContent(File source) {
        throw onDisk();
    }

    @Override
    public void setContent(InputStream source) {
        throw onDisk();
    }

    private UnsupportedOperationException onDisk() {
        return new UnsupportedOperationException("The upload '" + getName() + "' is written to " + file
                + " as it is decoded; read it from there");
    }
}
