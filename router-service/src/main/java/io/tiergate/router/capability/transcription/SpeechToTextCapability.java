package io.tiergate.router.capability.transcription;

import io.tiergate.common.transcription.TranscriptionOptions;
import io.tiergate.router.capability.audio.AudioCapability;
import io.tiergate.audio.form.AudioForm;
import io.tiergate.router.capability.audio.AudioRequest;
import io.tiergate.router.config.RouterConfig;
import io.tiergate.router.scoring.FeatureContribution;
import java.util.ArrayList;
import java.util.List;

/**
 * What transcriptions and translations share: OpenAI's form, its text fields checked by {@link TranscriptionOptions}
 * (streamed answers are not routed). Scored by the recording's length and size, whether its language is known and
 * whether word timestamps are asked for.
 */
abstract class SpeechToTextCapability extends AudioCapability<TranscriptionOptions> {

    SpeechToTextCapability(RouterConfig config) {
        super(config);
    }

    @Override
    protected TranscriptionOptions options(AudioForm form) {
        return TranscriptionOptions.from(form::values);
    }

    @Override
    protected String model(TranscriptionOptions options) {
        return options.model();
    }

    @Override
    public List<FeatureContribution> features(AudioRequest<TranscriptionOptions> request) {
        RouterConfig.Scoring.AudioWeights weights = scoring().audioWeights();
        boolean unknownLanguage = request.options().language().isEmpty();
        boolean words = request.options().wantsWords();
        List<FeatureContribution> features = new ArrayList<>(recordingFeatures(request, weights.duration(), weights.bytes()));
        features.add(FeatureContribution.of("unknown_language", unknownLanguage ? 1 : 0, unknownLanguage ? 1 : 0,
                weights.unknownLanguage()));
        features.add(FeatureContribution.of("word_timestamps", words ? 1 : 0, words ? 1 : 0, weights.wordTimestamps()));
        return features;
    }
}
