package io.tiergate.router;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.nio.file.Path;
import java.util.Map;

/**
 * The test configuration plus two providers the shared one has no room for: {@code plain}, a chat provider configured
 * without any model (so it is sent the caller's), tried right after alpha; and {@code scribe}, which takes the test
 * upload capability. Both are served by the beta WireMock server. Classifications get a body limit of their own.
 */
public class ExtraProvidersProfile implements QuarkusTestProfile {

    static final Path SPOOL = Path.of(System.getProperty("java.io.tmpdir"), "tiergate-test-spool");
    static final long SPOOL_LIMIT = 8L << 20;
    static final long CLASSIFICATION_LIMIT = 2048;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("test.uploads", "true"),
                Map.entry("tiergate.router.spool.dir", SPOOL.toString()),
                Map.entry("tiergate.router.spool.max-body-bytes", Long.toString(SPOOL_LIMIT)),
                Map.entry("tiergate.router.body-limits.classification", Long.toString(CLASSIFICATION_LIMIT)),
                Map.entry("tiergate.providers.alpha.priority", "0"),
                Map.entry("tiergate.providers.plain.protocol", "openai"),
                Map.entry("tiergate.providers.plain.base-url", "${tiergate.providers.beta.base-url}"),
                Map.entry("tiergate.providers.plain.capabilities", "chat"),
                Map.entry("tiergate.providers.plain.tiers", "simple"),
                Map.entry("tiergate.providers.plain.priority", "1"),
                Map.entry("tiergate.providers.scribe.protocol", "openai"),
                Map.entry("tiergate.providers.scribe.base-url", "${tiergate.providers.beta.base-url}"),
                Map.entry("tiergate.providers.scribe.capabilities", "transcription"),
                Map.entry("tiergate.providers.scribe.tiers", "simple,medium,complex"),
                Map.entry("tiergate.providers.scribe.priority", "1"),
                // WireMock keeps every upload it receives in its journal, which takes longer than a chat answer.
                Map.entry("tiergate.providers.scribe.timeout", "10s"));
    }
}
