package io.tiergate.router.dispatch;

import io.tiergate.router.providers.Backend;
import io.tiergate.router.providers.ProviderRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Takes secrets out of text a provider sent before the router stores, logs or returns any of it: providers echo the key
 * they were sent in their error bodies ("Incorrect API key provided: sk-…"), and such text ends up in attempts, in
 * the unauthenticated health view and in logs. Every configured key is removed, and so is anything shaped like a
 * bearer token or a known provider key; what is left is cut to a short excerpt.
 */
@ApplicationScoped
public class SecretRedactor {

    static final String REDACTED = "[redacted]";
    /** Longest text kept: enough to say what went wrong, never a whole echoed request. */
    static final int MAX_CHARS = 300;
    /** Text read for redaction before it is cut, so a key straddling the cut is still found whole. */
    private static final int SCAN_CHARS = 4096;
    /** Shorter configured values are too likely to match ordinary words to be replaced everywhere. */
    private static final int MIN_SECRET_LENGTH = 6;

    private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[^\\s\"',;}]+");
    private static final Pattern KEY_SHAPES = Pattern.compile(
            "\\b(?:sk|sk-ant|sk-proj|gsk|hf|xai|pplx|nvapi|r8)[-_][A-Za-z0-9_\\-]{8,}|\\bAIza[0-9A-Za-z_\\-]{20,}");

    private final List<String> secrets;

    public SecretRedactor(ProviderRegistry registry) {
        this.secrets = registry.backends().stream()
                .map(Backend::apiKey)
                .flatMap(Optional::stream)
                .filter(key -> key.length() >= MIN_SECRET_LENGTH)
                .distinct()
                .sorted(Comparator.comparingInt(String::length).reversed())
                .toList();
    }

    /** {@code text} without secrets, at most {@link #MAX_CHARS} characters (an ellipsis marks a cut). */
    public String redact(String text) {
        String scanned = text.length() > SCAN_CHARS ? text.substring(0, SCAN_CHARS) : text;
        for (String secret : secrets) {
            scanned = scanned.replace(secret, REDACTED);
        }
        scanned = BEARER.matcher(scanned).replaceAll("$1" + REDACTED);
        scanned = KEY_SHAPES.matcher(scanned).replaceAll(REDACTED);
        return scanned.length() > MAX_CHARS || text.length() > SCAN_CHARS ? cut(scanned) : scanned;
    }

    private static String cut(String text) {
        return (text.length() > MAX_CHARS ? text.substring(0, MAX_CHARS) : text) + "…";
    }
}
