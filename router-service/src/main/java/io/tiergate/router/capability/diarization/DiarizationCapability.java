package io.tiergate.router.capability.diarization;

import io.tiergate.common.diarization.DiarizationOptions;
import io.tiergate.common.diarization.SpeakerCount;
import io.tiergate.router.capability.audio.AudioCapability;
import io.tiergate.audio.form.AudioForm;
import io.tiergate.router.capability.audio.AudioRequest;
import io.tiergate.router.config.Capability;
import io.tiergate.router.config.RouterConfig;
import io.tiergate.router.scoring.FeatureContribution;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * {@code POST /v1/audio/diarizations}, the diarization pod's API: who spoke when in a recording, and, given its
 * transcript, who said what. Its fields are checked by {@link DiarizationOptions} as the pod checks them; the
 * {@code transcript} may be a text field or an upload, passed on as sent. Served by diarization pods (the form passed
 * on as it is) and by OpenAI's {@code gpt-4o-transcribe-diarize}, which transcribes and diarizes in one call
 * ({@link OpenAiDiarizeTranslator}).
 *
 * <p>Scored by the recording's length and size, the speakers asked for (more clusters to keep apart), whether the count
 * is left to the engine, and whether overlapped speech is expected (a table of several speakers, or a long recording
 * whose company is not bounded).
 */
@Singleton
public class DiarizationCapability extends AudioCapability<DiarizationOptions> {

    public static final String NAME = "diarization";
    /** The recording's transcript to attribute, OpenAI's verbose_json or diarized_json, as text or as a file. */
    static final String TRANSCRIPT = DiarizationOptions.TRANSCRIPT;
    /**
     * Largest {@code known_speaker_references[]} value: a data URL of a reference clip, which OpenAI takes up to 10 s
     * long; 10 s of CD-quality stereo WAV is 2.35 MB in base64.
     */
    static final int MAX_SPEAKER_REFERENCE_BYTES = 4 << 20;

    public DiarizationCapability(RouterConfig config) {
        super(config);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String path() {
        return "/v1/audio/diarizations";
    }

    @Override
    public Capability requires() {
        return Capability.DIARIZATION;
    }

    @Override
    protected Set<String> uploads() {
        return Set.of(TRANSCRIPT);
    }

    @Override
    protected Map<String, Integer> fieldLimits() {
        return Map.of(OpenAiDiarizeTranslator.KNOWN_SPEAKER_REFERENCES, MAX_SPEAKER_REFERENCE_BYTES,
                TRANSCRIPT, DiarizationOptions.MAX_TRANSCRIPT_TEXT_BYTES);
    }

    @Override
    protected DiarizationOptions options(AudioForm form) {
        DiarizationOptions options = DiarizationOptions.from(form::values);
        options.checkTranscript(form.count(TRANSCRIPT) > 0);
        return options;
    }

    @Override
    protected String model(DiarizationOptions options) {
        return options.model();
    }

    @Override
    public List<FeatureContribution> features(AudioRequest<DiarizationOptions> request) {
        RouterConfig.Scoring scoring = scoring();
        RouterConfig.Scoring.DiarizationWeights weights = scoring.diarizationWeights();
        SpeakerCount count = request.options().speakers();
        OptionalInt most = count.most();
        int asked = most.orElse(0);
        boolean unknownCount = most.isEmpty();
        boolean overlap = asked >= scoring.overlapSpeakers()
                || unknownCount && request.audio().durationSeconds() >= scoring.overlapSeconds();
        List<FeatureContribution> features = new ArrayList<>(recordingFeatures(request, weights.duration(), weights.bytes()));
        features.add(FeatureContribution.of("speakers_asked", asked,
                (asked - 1.0) / (scoring.speakersSaturation() - 1), weights.speakers()));
        features.add(FeatureContribution.of("unknown_speaker_count", unknownCount ? 1 : 0, unknownCount ? 1 : 0,
                weights.unknownSpeakerCount()));
        features.add(FeatureContribution.of("overlap_expected", overlap ? 1 : 0, overlap ? 1 : 0, weights.overlap()));
        return features;
    }
}
