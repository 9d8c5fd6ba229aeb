package io.tiergate.router.capability.transcription;

import io.tiergate.common.problem.ProblemException;
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

    private static final String STREAM = "stream";

    SpeechToTextCapability(RouterConfig config) {
        super(config);
    }

    @Override
    protected TranscriptionOptions options(AudioForm form) {
        TranscriptionOptions options = TranscriptionOptions.from(form::values);
        if (form.values(STREAM).stream().anyMatch(value -> value.strip().equalsIgnoreCase("true"))) {
            throw ProblemException.badField(STREAM, "stream: streamed transcriptions are not routed; leave stream out or false");
        }
        return options;
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
