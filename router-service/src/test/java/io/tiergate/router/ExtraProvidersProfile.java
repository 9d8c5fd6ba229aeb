package io.tiergate.router;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The test configuration plus providers the shared one has no room for: {@code plain}, a chat provider configured
 * without any model (so it is sent the caller's), tried right after alpha; and four speech providers, in this order of
 * priority: {@code groq-audio} (OpenAI-compatible, Groq's Whisper models, 30 audio seconds an hour), {@code openai-audio}
 * (OpenAI-compatible and paid, taking files up to 300,000 bytes only), {@code hf-asr} (Hugging Face's speech
 * recognition, transcriptions only) and {@code transcriber} (a Tiergate transcription pod); for diarizations,
 * {@code diarizer} (a Tiergate diarization pod) then {@code openai-diarize} (OpenAI's gpt-4o-transcribe-diarize, paid,
 * recordings up to 10 s, 15 audio seconds an hour: so few that quota is held in Redis, not in a replica's share).
 * Classifications and transcriptions get body limits of their own, uploads a spool directory and limit of their own.
 */
public class ExtraProvidersProfile implements QuarkusTestProfile {

    static final Path SPOOL = Path.of(System.getProperty("java.io.tmpdir"), "tiergate-test-spool");
    static final long SPOOL_LIMIT = 8L << 20;
    static final long CLASSIFICATION_LIMIT = 2048;
    /** Over quarkus.http.limits.max-body-size (16 MiB), which bodies read into memory keep. */
    static final long TRANSCRIPTION_LIMIT = 20L << 20;
    static final String GROQ_KEY = "groq-audio-secret";
    /** openai-audio takes smaller files than JFK's 352,078-byte recording. */
    static final long OPENAI_AUDIO_MAX_BYTES = 300_000;
    static final long GROQ_AUDIO_SECONDS_PER_HOUR = 30;
    static final String DIARIZE_MODEL = "gpt-4o-transcribe-diarize";
    /** openai-diarize takes shorter recordings than JFK's 11 s. */
    static final long OPENAI_DIARIZE_MAX_SECONDS = 10;
    /** Shorter than the speech providers' calls may take (their timeout is 10 s): their holds must outlast it. */
    static final Duration RESERVATION_TTL = Duration.ofMillis(500);

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(Map.ofEntries(
                Map.entry("tiergate.router.spool.dir", SPOOL.toString()),
                Map.entry("tiergate.quota.reservation-ttl", RESERVATION_TTL.toMillis() + "ms"),
                Map.entry("tiergate.router.spool.max-body-bytes", Long.toString(SPOOL_LIMIT)),
                Map.entry("tiergate.router.body-limits.classification", Long.toString(CLASSIFICATION_LIMIT)),
                Map.entry("tiergate.router.body-limits.transcription", Long.toString(TRANSCRIPTION_LIMIT)),
                Map.entry("tiergate.providers.alpha.priority", "0"),
                Map.entry("tiergate.providers.plain.protocol", "openai"),
                Map.entry("tiergate.providers.plain.base-url", "${tiergate.providers.beta.base-url}"),
                Map.entry("tiergate.providers.plain.capabilities", "chat"),
                Map.entry("tiergate.providers.plain.tiers", "simple"),
                Map.entry("tiergate.providers.plain.priority", "1"),
                Map.entry("GROQ_AUDIO_KEY", GROQ_KEY),
                Map.entry("OPENAI_AUDIO_KEY", "openai-audio-secret"),
                Map.entry("HF_AUDIO_KEY", "hf-audio-secret")));
        speech(config, "groq-audio", "openai", "${test.fake.groq-url}/openai/v1", "transcription,translation", 1);
        config.put("tiergate.providers.groq-audio.models.simple", "whisper-large-v3-turbo");
        config.put("tiergate.providers.groq-audio.models.medium", "whisper-large-v3");
        config.put("tiergate.providers.groq-audio.max-audio-bytes", "26214400");
        config.put("tiergate.providers.groq-audio.cost.audio-per-minute", "0.002");
        config.put("tiergate.providers.groq-audio.accounts.org-a.api-key-env", "GROQ_AUDIO_KEY");
        config.put("tiergate.providers.groq-audio.accounts.org-a.limits.requests.per-minute", "20");
        config.put("tiergate.providers.groq-audio.accounts.org-a.limits.audio-seconds.per-hour",
                Long.toString(GROQ_AUDIO_SECONDS_PER_HOUR));
        config.put("tiergate.providers.groq-audio.accounts.org-a.limits.audio-seconds.per-day", "28800");
        speech(config, "openai-audio", "openai", "${test.fake.openai-url}/v1", "transcription,translation", 2);
        config.put("tiergate.providers.openai-audio.paid", "true");
        config.put("tiergate.providers.openai-audio.models.simple", "whisper-1");
        config.put("tiergate.providers.openai-audio.max-audio-bytes", Long.toString(OPENAI_AUDIO_MAX_BYTES));
        config.put("tiergate.providers.openai-audio.cost.audio-per-minute", "0.006");
        config.put("tiergate.providers.openai-audio.accounts.main.api-key-env", "OPENAI_AUDIO_KEY");
        speech(config, "hf-asr", "hf-inference", "${test.fake.hf-url}/hf-inference/models", "transcription", 3);
        config.put("tiergate.providers.hf-asr.models.simple", "openai/whisper-large-v3-turbo");
        config.put("tiergate.providers.hf-asr.accounts.main.api-key-env", "HF_AUDIO_KEY");
        speech(config, "transcriber", "pod", "${tiergate.providers.classifier.base-url}", "transcription,translation", 4);
        config.put("tiergate.providers.transcriber.local", "true");
        speech(config, "diarizer", "pod", "${tiergate.providers.classifier.base-url}", "diarization", 5);
        config.put("tiergate.providers.diarizer.local", "true");
        speech(config, "openai-diarize", "openai", "${test.fake.openai-url}/v1", "diarization", 6);
        config.put("tiergate.providers.openai-diarize.paid", "true");
        for (String tier : new String[] {"simple", "medium", "complex"}) {
            config.put("tiergate.providers.openai-diarize.models." + tier, DIARIZE_MODEL);
        }
        config.put("tiergate.providers.openai-diarize.max-audio-seconds", Long.toString(OPENAI_DIARIZE_MAX_SECONDS));
        config.put("tiergate.providers.openai-diarize.cost.audio-per-minute", "0.006");
        config.put("tiergate.providers.openai-diarize.accounts.main.api-key-env", "OPENAI_AUDIO_KEY");
        config.put("tiergate.providers.openai-diarize.accounts.main.limits.audio-seconds.per-hour", "15");
        return config;
    }

    private static void speech(Map<String, String> config, String name, String protocol, String baseUrl, String capabilities,
            int priority) {
        String key = "tiergate.providers." + name + ".";
        config.put(key + "protocol", protocol);
        config.put(key + "base-url", baseUrl);
        config.put(key + "capabilities", capabilities);
        config.put(key + "tiers", "simple,medium,complex");
        config.put(key + "priority", Integer.toString(priority));
        // Uploads take longer than the 700 ms the test configuration gives chat answers.
        config.put(key + "timeout", "10s");
    }
}
