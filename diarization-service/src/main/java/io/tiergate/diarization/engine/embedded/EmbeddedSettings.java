package io.tiergate.diarization.engine.embedded;

/**
 * The embedded engine's tuning. {@link #DEFAULTS} are the values chosen by measured DER (bench/speech/diarization-bench.sh).
 *
 * @param mels                 mel filters of the features
 * @param ceps                 cepstral coefficients, c0 included
 * @param changeWindowSeconds  the stretch on each side of a candidate speaker change
 * @param changeThreshold      standard deviations above the mean distance a change peak must be
 * @param minSegmentSeconds    the shortest segment a change may leave
 * @param maxSegmentSeconds    longer segments are split evenly
 * @param supervectorComponents Gaussians of the background model GMM-supervector embeddings adapt; 0 takes frame
 *                             statistics (means and deviations) instead
 * @param graphKeepFraction    the share of each segment's nearest neighbours the speaker-count graph keeps
 * @param unlikeVoicesBelow    when the connectivity of the segments' frame-statistics graph (its Laplacian's second
 *                             eigenvalue) is below this, the voices differ grossly and the statistics join the
 *                             supervectors in comparing segments (see {@code UnlikeVoicesEmbedder}; 0 never). Measured:
 *                             0.110 and 0.158 on the one-room AMI and pyannote clips, 0.011 to 0.060 on meetings of
 *                             voices from several recordings (bench/speech/make-meetings.sh)
 * @param oneVoiceAbove        a recording (or window) whose segments' graph is at least this well connected is one
 *                             voice (see {@code EigengapCountEstimator.oneVoice}; above 1, never). Only a dozen segments
 *                             or fewer (some 10 s of speech) connect this well, one voice or several: measured 0.606 to
 *                             1.000 on the one-voice clips of the assets (which the eigengap split into up to 4 speakers)
 *                             and 0.78 to 0.95 on 8 s cuts of the meetings, against 0.037 to 0.218 on the whole AMI and
 *                             pyannote clips and meetings of 3 to 6 voices. So a recording that short is one voice unless
 *                             the caller asks for more ({@code min_speakers})
 * @param minSpeakers          the fewest speakers found when the caller does not say
 * @param maxSpeakers          the most speakers found when the caller does not say
 * @param gmmComponents        Gaussians per speaker in resegmentation
 * @param resegmentRounds      fit-and-relabel rounds of resegmentation (0 turns it off)
 * @param switchPenalty        the log-likelihood a change of speaker costs in resegmentation
 * @param minTurnSeconds       turns shorter than this go to their neighbours
 * @param windowSeconds        longer recordings are diarized in windows of this length, their speakers then linked
 */
public record EmbeddedSettings(int mels, int ceps, double changeWindowSeconds, double changeThreshold,
                               double minSegmentSeconds, double maxSegmentSeconds, int supervectorComponents,
                               double graphKeepFraction, double unlikeVoicesBelow, double oneVoiceAbove, int minSpeakers,
                               int maxSpeakers,
                               int gmmComponents, int resegmentRounds, double switchPenalty, double minTurnSeconds,
                               double windowSeconds) {

    public static final EmbeddedSettings DEFAULTS = new EmbeddedSettings(40, 20, 1.0, 1.0, 0.5, 1.5, 16, 0.3, 0.08, 0.4, 1,
            20, 8, 3, 30, 0.25, 300);
}
