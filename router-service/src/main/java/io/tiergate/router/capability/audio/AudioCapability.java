package io.tiergate.router.capability.audio;

import io.tiergate.audio.AudioInfo;
import io.tiergate.audio.AudioProbe;
import io.tiergate.audio.AudioTools;
import io.tiergate.audio.form.AudioForm;
import io.tiergate.common.problem.Problem;
import io.tiergate.common.problem.ProblemException;
import io.tiergate.router.config.RouterConfig;
import io.tiergate.router.dispatch.RequestBody;
import io.tiergate.router.pipeline.RoutedCapability;
import io.tiergate.router.pipeline.UsageEstimate;
import io.tiergate.router.scoring.ComplexityScorer;
import io.tiergate.router.scoring.FeatureContribution;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * What every upload of a recording shares (transcriptions, translations, diarizations): a multipart form, decoded as it
 * arrives with each upload written to a file of its own, its text fields checked into
 * the capability's options and its recording probed with ffprobe (off the event loop), so every bad input is a problem
 * naming its field before any provider is called. Sized for quota and cost in audio seconds; scored by the recording's
 * length and size ({@link #recordingFeatures}) and whatever the capability's options add.
 *
 * @param <O> the options the capability reads from the form's text fields
 */
public abstract class AudioCapability<O> implements RoutedCapability<AudioRequest<O>> {

    private static final Logger LOG = Logger.getLogger(AudioCapability.class);

    private final AudioProbe probe;
    private final long maxSeconds;
    private final RouterConfig.Scoring scoring;

    protected AudioCapability(RouterConfig config) {
        RouterConfig.Audio audio = config.audio();
        this.probe = new AudioProbe(new AudioTools(Path.of(audio.ffmpeg()), Path.of(audio.ffprobe()), audio.probeTimeout()));
        this.maxSeconds = audio.maxSeconds();
        this.scoring = config.scoring();
    }

    /**
     * The form's text fields (and which other parts it has) as this capability's options.
     *
     * @throws ProblemException naming the field that is wrong
     */
    protected abstract O options(AudioForm form);

    /** The model the caller named in its options: {@code auto}, a tier, or a provider's model. */
    protected abstract String model(O options);

    /** The fields besides {@code file} that may be uploads rather than text; none unless the capability says. */
    protected Set<String> uploads() {
        return Set.of();
    }

    /**
     * The text fields that may be longer than the 64 KiB any other may take, with their own limits in bytes; none
     * unless the capability says. They are held in memory while the request is routed.
     */
    protected Map<String, Integer> fieldLimits() {
        return Map.of();
    }

    protected RouterConfig.Scoring scoring() {
        return scoring;
    }

    @Override
    public BodyIntake bodyIntake() {
        return new BodyIntake.Form(uploads(), fieldLimits());
    }

    @Override
    public boolean parsesBlocking() {
        return true;
    }

    @Override
    public AudioRequest<O> parse(RequestBody body) {
        if (!(body instanceof RequestBody.Form received)) {
            throw new IllegalStateException("audio forms are decoded as they arrive, never read into memory");
        }
        AudioForm form = received.form();
        return new AudioRequest<>(form, options(form), probe(form.file().path()));
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
    public UsageEstimate estimate(AudioRequest<O> request) {
        return UsageEstimate.fixed(0, 0, request.audioSeconds());
    }

    /**
     * The recording's length ({@code duration_seconds}, logarithmic up to {@code audio-seconds-saturation}) and size
     * ({@code audio_bytes}, linear up to {@code audio-bytes-saturation}), with the capability's weights for them.
     */
    protected List<FeatureContribution> recordingFeatures(AudioRequest<O> request, double durationWeight, double bytesWeight) {
        double seconds = request.audio().durationSeconds();
        long bytes = request.audio().bytes();
        return List.of(
                FeatureContribution.of("duration_seconds", FeatureContribution.round(seconds),
                        ComplexityScorer.saturating(Math.round(seconds), scoring.audioSecondsSaturation()), durationWeight),
                FeatureContribution.of("audio_bytes", bytes, (double) bytes / scoring.audioBytesSaturation(), bytesWeight));
    }

    @Override
    public Optional<String> requestedModel(AudioRequest<O> request) {
        return Optional.of(model(request.options()));
    }
}
