package io.tiergate.transcription.engine.pocketsphinx;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.StringArray;
import com.sun.jna.Structure;
import com.sun.jna.ptr.IntByReference;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The C API of PocketSphinx 5prealpha and SphinxBase ({@code libpocketsphinx.so.3}, {@code libsphinxbase.so.3} of the
 * OS packages) as the engine calls it through JNA.
 */
final class PocketsphinxNatives {

    static final String POCKETSPHINX_LIBRARY = "libpocketsphinx.so.3";
    static final String SPHINXBASE_LIBRARY = "libsphinxbase.so.3";

    /** {@code ps_decoder_t} and friends, from {@code pocketsphinx.h}. */
    interface Pocketsphinx extends Library {
        Pointer ps_args();

        Pointer ps_init(Pointer config);

        int ps_free(Pointer decoder);

        Pointer ps_get_logmath(Pointer decoder);

        Pointer ps_get_feat(Pointer decoder);

        int ps_start_stream(Pointer decoder);

        int ps_start_utt(Pointer decoder);

        int ps_process_raw(Pointer decoder, short[] samples, NativeLong count, int noSearch, int fullUtterance);

        byte ps_get_in_speech(Pointer decoder);

        int ps_end_utt(Pointer decoder);

        Pointer ps_seg_iter(Pointer decoder);

        Pointer ps_seg_next(Pointer segment);

        String ps_seg_word(Pointer segment);

        void ps_seg_frames(Pointer segment, IntByReference startFrame, IntByReference endFrame);

        int ps_seg_prob(Pointer segment, Pointer acousticScore, Pointer languageScore, Pointer backoff);
    }

    /** Configuration, logging, log arithmetic and live cepstral mean normalisation, from SphinxBase's headers. */
    interface Sphinxbase extends Library {
        /** {@code argv} must outlive the configuration: SphinxBase keeps pointers into it. */
        Pointer cmd_ln_parse_r(Pointer previous, Pointer definitions, int argc, StringArray argv, int strict);

        int cmd_ln_free_r(Pointer config);

        void err_set_logfp(Pointer stream);

        double logmath_exp(Pointer logmath, int logValue);
    }

    /**
     * The head of {@code feat.h}'s public {@code feat_t}, up to {@code cmn_struct}: the only way the API offers to the
     * live cepstral mean, which the decoder would otherwise carry from one chunk into the next.
     */
    @Structure.FieldOrder({"refcount", "name", "cepsize", "nStream", "streamLen", "windowSize", "nSv", "svLen",
            "subvecs", "svBuf", "svDim", "cmn", "varnorm", "agc", "computeFeat", "cmnStruct"})
    public static final class FeatHead extends Structure {
        public int refcount;
        public Pointer name;
        public int cepsize;
        public int nStream;
        public Pointer streamLen;
        public int windowSize;
        public int nSv;
        public Pointer svLen;
        public Pointer subvecs;
        public Pointer svBuf;
        public int svDim;
        public int cmn;
        public int varnorm;
        public int agc;
        public Pointer computeFeat;
        public Pointer cmnStruct;

        public FeatHead(Pointer feat) {
            super(feat);
            read();
        }
    }

    /**
     * {@code cmn.h}'s public {@code cmn_t}: the live cepstral mean and the frames behind it. {@code cmn_live_set} cannot
     * put it back as {@code ps_init} left it (it counts the mean as 500 frames already heard), so the engine saves and
     * restores the fields themselves.
     */
    @Structure.FieldOrder({"mean", "variance", "sum", "frames", "length"})
    public static final class CepstralMean extends Structure {
        public Pointer mean;
        public Pointer variance;
        public Pointer sum;
        public int frames;
        public int length;

        public CepstralMean(Pointer cmn) {
            super(cmn);
            read();
        }
    }

    record Libraries(Pocketsphinx pocketsphinx, Sphinxbase sphinxbase) {
    }

    /** By directory (empty: the OS library path); a failed load is not kept, so a fixed installation is found next time. */
    private static final Map<Optional<Path>, Libraries> LOADED = new HashMap<>();

    private PocketsphinxNatives() {
    }

    /**
     * Loads both libraries from {@code directory}, or the OS library path when empty, and silences SphinxBase's log,
     * which would otherwise print every utterance on stderr.
     *
     * @throws UnsatisfiedLinkError naming what could not load
     */
    static synchronized Libraries load(Optional<Path> directory) {
        Libraries libraries = LOADED.get(directory);
        if (libraries == null) {
            // SphinxBase first: libpocketsphinx needs it, and dlopen finds it loaded even outside the library path
            Sphinxbase sphinxbase = Native.load(locate(directory, SPHINXBASE_LIBRARY), Sphinxbase.class);
            Pocketsphinx pocketsphinx = Native.load(locate(directory, POCKETSPHINX_LIBRARY), Pocketsphinx.class);
            sphinxbase.err_set_logfp(null);
            libraries = new Libraries(pocketsphinx, sphinxbase);
            LOADED.put(directory, libraries);
        }
        return libraries;
    }

    private static String locate(Optional<Path> directory, String library) {
        return directory.map(path -> path.resolve(library).toAbsolutePath().toString()).orElse(library);
    }
}
