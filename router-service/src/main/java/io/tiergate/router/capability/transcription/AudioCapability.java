package io.tiergate.router.capability.transcription;

import io.tiergate.audio.AudioInfo;
import io.tiergate.audio.AudioProbe;
import io.tiergate.audio.AudioTools;
import io.tiergate.common.problem.Problem;
import io.tiergate.common.problem.ProblemException;
import io.tiergate.common.transcription.TranscriptionOptions;
import io.tiergate.router.config.RouterConfig;
import io.tiergate.router.dispatch.RequestBody;
import io.tiergate.router.pipeline.RoutedCapability;
import io.tiergate.router.pipeline.UsageEstimate;
import io.tiergate.router.scoring.ComplexityScorer;
import io.tiergate.router.scoring.FeatureContribution;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * What transcriptions and translations share: OpenAI's multipart form, spooled to disk as it arrives, read field by
 * field with the recording written to a file of its own, its text fields checked by {@link TranscriptionOptions} and its
 * recording probed with ffprobe (off the event loop), so every bad input is a problem naming its field before any
 * provider is called. Scored by the recording's length and size, whether its language is known and whether word
 * timestamps are asked for; sized for quota and cost in audio seconds.
 */
abstract class AudioCapability implements RoutedCapability<AudioRequest> {

    private static final Logger LOG = Logger.getLogger(AudioCapability.class);
    private static final String STREAM = "stream";

    private final AudioProbe probe;
    private final long maxSeconds;
    private final RouterConfig.Scoring scoring;

    AudioCapability(RouterConfig config) {
        RouterConfig.Audio audio = config.audio();
        this.probe = new AudioProbe(new AudioTools(Path.of(audio.ffmpeg()), Path.of(audio.ffprobe()), audio.probeTimeout()));
        this.maxSeconds = audio.maxSeconds();
        this.scoring = config.scoring();
    }

    @Override
    public BodyIntake bodyIntake() {
        return BodyIntake.SPOOLED;
    }

    @Override
    public boolean parsesBlocking() {
        return true;
    }

    @Override
    public AudioRequest parse(RequestBody body) {
        AudioForm form = MultipartForms.read(body);
        try {
            TranscriptionOptions options = TranscriptionOptions.from(form::values);
            if (form.values(STREAM).stream().anyMatch(value -> value.strip().equalsIgnoreCase("true"))) {
                throw ProblemException.badField(STREAM, "stream: streamed transcriptions are not routed; leave stream out or false");
            }
            return new AudioRequest(form, options, probe(form.file().path()));
        } catch (RuntimeException e) {
            form.discard();
            throw e;
        }
    }

    private AudioInfo probe(Path recording) {
        try {
            return probe.probe(recording, maxSeconds);
        } catch (IOException e) {
            LOG.errorf("Cannot probe a recording with ffprobe: %s", e.toString());
            throw new ProblemException(Problem.of(503, "audio-tools-unavailable", "Recordings cannot be read now",
                    "The router cannot read recordings now (ffprobe failed to run); try again later."));
        }
    }

    @Override
    public UsageEstimate estimate(AudioRequest request) {
        return UsageEstimate.fixed(0, 0, request.audioSeconds());
    }

    @Override
    public List<FeatureContribution> features(AudioRequest request) {
        RouterConfig.Scoring.AudioWeights weights = scoring.audioWeights();
        double seconds = request.audio().durationSeconds();
        long bytes = request.audio().bytes();
        boolean unknownLanguage = request.options().language().isEmpty();
        boolean words = request.options().wantsWords();
        return List.of(
                FeatureContribution.of("duration_seconds", FeatureContribution.round(seconds),
                        ComplexityScorer.saturating(Math.round(seconds), scoring.audioSecondsSaturation()), weights.duration()),
                FeatureContribution.of("audio_bytes", bytes, (double) bytes / scoring.audioBytesSaturation(), weights.bytes()),
                FeatureContribution.of("unknown_language", unknownLanguage ? 1 : 0, unknownLanguage ? 1 : 0, weights.unknownLanguage()),
                FeatureContribution.of("word_timestamps", words ? 1 : 0, words ? 1 : 0, weights.wordTimestamps()));
    }

    @Override
    public Optional<String> requestedModel(AudioRequest request) {
        return Optional.of(request.options().model());
    }
}
