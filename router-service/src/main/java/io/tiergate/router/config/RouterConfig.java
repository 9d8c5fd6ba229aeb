package io.tiergate.router.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The router's own settings, {@code tiergate.router.*}. The providers, their accounts and the tiers are the section all
 * services share ({@link ProvidersConfig}, {@link TiersConfig}); ranges are checked by Bean Validation at start-up,
 * and what depends on several keys by {@link ConfigValidator}.
 */
@ConfigMapping(prefix = "tiergate.router")
public interface RouterConfig {

    Budget budget();

    Admin admin();

    Scoring scoring();

    Dispatch dispatch();

    Health health();

    CloudClassification classification();

    /** Largest request body accepted; larger bodies get 413. */
    @WithDefault("2097152")
    @Min(1024)
    int maxBodyBytes();

    /** Where uploads are held while they are routed. */
    Spool spool();

    /** How recordings sent to the speech endpoints are read. */
    Audio audio();

    /**
     * Largest body of one capability's endpoint (and its explain and compare-cost views), by capability name
     * ({@code chat}, {@code classification}, {@code extraction}, {@code embeddings}, …), where it should differ from
     * {@code max-body-bytes} (bodies read into memory) or {@code spool.max-body-bytes} (uploads).
     */
    Map<String, @Min(1) Long> bodyLimits();

    /**
     * Bodies of upload endpoints are written to files as they arrive rather than held in the heap, and every attempt
     * (retries, fallbacks) sends the file again. The disk they may take is bounded.
     */
    interface Spool {
        /** Directory of the spool files; created when missing. Empty: a directory under the system's temporary one. */
        Optional<String> dir();

        /**
         * Largest upload accepted; larger ones get 413. 2 GiB holds hours of audio: 18 hours of 16 kHz mono WAV, over
         * three of CD-quality WAV, days of compressed audio.
         */
        @WithDefault("2147483648")
        @Min(1)
        long maxBodyBytes();

        /**
         * Disk all uploads in flight may take together; an upload beyond it gets 503 and may be sent again later. An
         * audio upload takes up to twice its size while it is routed: the body as sent, and its recording on its own.
         */
        @WithDefault("8589934592")
        @Min(1)
        long maxTotalBytes();
    }

    /** Recordings are read with ffprobe (from the ffmpeg package) before they are routed. */
    interface Audio {
        /** The ffprobe executable: a name on the PATH or a path. */
        @WithDefault("ffprobe")
        String ffprobe();

        /** The ffmpeg executable, which counts the length of the few recordings whose container does not say it. */
        @WithDefault("ffmpeg")
        String ffmpeg();

        /** Longest recording taken, in seconds; a longer one gets 413 naming the file. Default: 8 hours. */
        @WithDefault("28800")
        @Min(1)
        long maxSeconds();

        /** How long reading one recording's format and length may take before it is refused. */
        @WithDefault("20s")
        Duration probeTimeout();
    }

    /** Classifications sent to chat-protocol providers (cloud LLM accounts) rather than to pods. */
    interface CloudClassification {
        /** Lines per chat call: more cuts cost per line, fewer keeps an answer easy to get right. */
        @WithDefault("25")
        @Min(1)
        @Max(200)
        int batchSize();

        /** Chat calls of one request in flight at once. */
        @WithDefault("4")
        @Min(1)
        int concurrency();
    }

    interface Budget {
        /** Zero-budget mode is on while this is false: paid providers are never used. */
        @WithDefault("false")
        boolean allowPaid();
    }

    interface Admin {
        /** Bearer token for mutating admin calls; without one those calls are refused. */
        Optional<String> token();

        /**
         * Redis hash holding the providers' run-time switches every replica applies (one field per provider); its
         * changes are published on the channel of the same name. Two installations sharing a Redis need two names.
         */
        @WithDefault("tiergate:router:provider-overrides")
        String overridesKey();

        /**
         * How often every replica reads all switches back from Redis. Changes reach replicas at once through Pub/Sub,
         * and again whenever their subscription stands again; this only bounds how long a change a replica somehow
         * missed stays missed.
         */
        @WithDefault("30s")
        Duration overridesReloadInterval();
    }

    interface Scoring {
        /** Scores at or above this are medium. */
        @WithDefault("3.0")
        @DecimalMin(value = "0", inclusive = false)
        double mediumThreshold();

        /** Scores at or above this are complex. */
        @WithDefault("6.0")
        @DecimalMax("10")
        double complexThreshold();

        /** Weight of each feature; a feature's signal in [0,1] times its weight is its contribution. */
        Weights weights();

        /** Prompt size, in estimated tokens, at which the prompt-size signal saturates. */
        @WithDefault("4000")
        @Min(1)
        int promptTokensSaturation();

        /** Requested output size, in tokens, at which the output-size signal saturates. */
        @WithDefault("4000")
        @Min(1)
        int outputTokensSaturation();

        /** Conversation depth, in messages, at which the depth signal saturates. */
        @WithDefault("20")
        @Min(1)
        int depthSaturation();

        /** Weights of the features of classification, extraction and embedding requests. */
        TaskWeights taskWeights();

        /** Weights of the features of transcriptions and translations. */
        AudioWeights audioWeights();

        /** Recording length, in seconds, at which the duration signal saturates (logarithmic). Default: an hour. */
        @WithDefault("3600")
        @Min(1)
        int audioSecondsSaturation();

        /** File size, in bytes, at which the size signal saturates (linear). Default: 100 MiB, an hour of 16 kHz WAV. */
        @WithDefault("104857600")
        @Min(1)
        long audioBytesSaturation();

        /** Weights of the features of diarizations. */
        DiarizationWeights diarizationWeights();

        /**
         * Speakers asked for ({@code num_speakers}, else {@code max_speakers}) at which the speaker signal saturates
         * (linear from one speaker, who needs no clustering at all).
         */
        @WithDefault("8")
        @Min(2)
        int speakersSaturation();

        /**
         * Speakers asked for from which overlapped speech is expected: two people mostly take turns, a table of three or
         * more talk over each other.
         */
        @WithDefault("3")
        @Min(2)
        int overlapSpeakers();

        /**
         * Recording length, in seconds, from which overlapped speech is expected when the caller does not bound the
         * speaker count: a long recording of unknown company is most likely a meeting or a session. Default: 20 minutes.
         */
        @WithDefault("1200")
        @Min(1)
        int overlapSeconds();

        interface DiarizationWeights {
            /** How long the recording plays: more turns to segment, more speakers to keep apart over time. */
            @WithDefault("4.0")
            double duration();

            /** How large the file is: high-rate or uncompressed audio. */
            @WithDefault("1.0")
            double bytes();

            /** How many speakers are asked for: more clusters to tell apart. */
            @WithDefault("2.0")
            double speakers();

            /** Neither {@code num_speakers} nor {@code max_speakers} given: the engine must estimate the count. */
            @WithDefault("1.0")
            double unknownSpeakerCount();

            /**
             * Overlapped speech expected ({@code overlap-speakers} or more asked for, or a recording of
             * {@code overlap-seconds} or more with no upper bound on the count): where simple engines fail most.
             */
            @WithDefault("2.0")
            double overlap();
        }

        interface AudioWeights {
            /** How long the recording plays: long recordings drift and need a stronger model. */
            @WithDefault("4.0")
            double duration();

            /** How large the file is: high-rate or uncompressed audio. */
            @WithDefault("1.0")
            double bytes();

            /** No {@code language} given: the model must detect it. */
            @WithDefault("1.5")
            double unknownLanguage();

            /** Word timestamps asked for ({@code timestamp_granularities[]=word}). */
            @WithDefault("2.0")
            double wordTimestamps();
        }

        interface TaskWeights {
            /** Number of lines or texts, logarithmic up to 1,000. */
            @WithDefault("3.0")
            double items();

            /** Total characters, logarithmic up to 200,000. */
            @WithDefault("2.5")
            double characters();

            /** Number of labels, up to 20. */
            @WithDefault("1.5")
            double labels();

            /** Fields in an extraction schema, up to 50. */
            @WithDefault("3.0")
            double schemaFields();

            @WithDefault("2.0")
            double reasoning();
        }

        interface Weights {
            @WithDefault("2.0")
            double promptTokens();

            @WithDefault("1.5")
            double outputTokens();

            @WithDefault("1.0")
            double conversationDepth();

            @WithDefault("1.5")
            double code();

            @WithDefault("1.5")
            double math();

            @WithDefault("1.0")
            double structuredOutput();

            @WithDefault("2.5")
            double reasoning();
        }
    }

    interface Dispatch {
        /**
         * Per-attempt limit on an upstream call, from connecting and sending to the answer's last byte (for streams: on
         * silence).
         */
        @WithDefault("15s")
        Duration attemptTimeout();

        /** Retries of one backend on retryable failures before falling back to the next candidate. */
        @WithDefault("2")
        @Min(0)
        int maxRetries();

        @WithDefault("100ms")
        Duration initialBackoff();

        @WithDefault("2s")
        Duration maxBackoff();

        /** Fraction of each backoff that is randomised, so replicas do not retry in lockstep. */
        @WithDefault("0.2")
        @DecimalMin("0")
        @DecimalMax("1")
        double jitter();

        /** A Retry-After longer than this is not waited for: the router moves on to the next candidate. */
        @WithDefault("5s")
        Duration maxRetryAfter();

        Breaker breaker();

        Bulkhead bulkhead();

        interface Breaker {
            @WithDefault("3")
            @Min(1)
            int failureThreshold();

            @WithDefault("5m")
            Duration openFor();
        }

        interface Bulkhead {
            /** Calls in flight per backend unless the provider sets its own. */
            @WithDefault("64")
            @Min(1)
            int maxConcurrency();

            /** How long a call waits for a free slot before moving on to the next candidate. */
            @WithDefault("50ms")
            Duration maxWait();
        }
    }

    interface Health {
        @WithDefault("30s")
        Duration probeInterval();

        @WithDefault("3s")
        Duration probeTimeout();
    }
}
