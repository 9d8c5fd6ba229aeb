package io.tiergate.transcription.engine.whisper;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Whisper's languages in the order of their tokens, with the names {@code verbose_json} gives them (whisper.cpp 1.7.1's
 * table, the same as OpenAI's tokenizer). A model with {@code n} language tokens knows the first {@code n}: 99 for
 * the multilingual models, 100 for large-v3, which adds Cantonese.
 */
final class WhisperLanguages {

    private static final List<String> CODES_AND_NAMES = List.of(
            "en", "english", "zh", "chinese", "de", "german", "es", "spanish", "ru", "russian", "ko", "korean",
            "fr", "french", "ja", "japanese", "pt", "portuguese", "tr", "turkish", "pl", "polish", "ca", "catalan",
            "nl", "dutch", "ar", "arabic", "sv", "swedish", "it", "italian", "id", "indonesian", "hi", "hindi",
            "fi", "finnish", "vi", "vietnamese", "he", "hebrew", "uk", "ukrainian", "el", "greek", "ms", "malay",
            "cs", "czech", "ro", "romanian", "da", "danish", "hu", "hungarian", "ta", "tamil", "no", "norwegian",
            "th", "thai", "ur", "urdu", "hr", "croatian", "bg", "bulgarian", "lt", "lithuanian", "la", "latin",
            "mi", "maori", "ml", "malayalam", "cy", "welsh", "sk", "slovak", "te", "telugu", "fa", "persian",
            "lv", "latvian", "bn", "bengali", "sr", "serbian", "az", "azerbaijani", "sl", "slovenian", "kn", "kannada",
            "et", "estonian", "mk", "macedonian", "br", "breton", "eu", "basque", "is", "icelandic", "hy", "armenian",
            "ne", "nepali", "mn", "mongolian", "bs", "bosnian", "kk", "kazakh", "sq", "albanian", "sw", "swahili",
            "gl", "galician", "mr", "marathi", "pa", "punjabi", "si", "sinhala", "km", "khmer", "sn", "shona",
            "yo", "yoruba", "so", "somali", "af", "afrikaans", "oc", "occitan", "ka", "georgian", "be", "belarusian",
            "tg", "tajik", "sd", "sindhi", "gu", "gujarati", "am", "amharic", "yi", "yiddish", "lo", "lao",
            "uz", "uzbek", "fo", "faroese", "ht", "haitian creole", "ps", "pashto", "tk", "turkmen", "nn", "nynorsk",
            "mt", "maltese", "sa", "sanskrit", "lb", "luxembourgish", "my", "myanmar", "bo", "tibetan", "tl", "tagalog",
            "mg", "malagasy", "as", "assamese", "tt", "tatar", "haw", "hawaiian", "ln", "lingala", "ha", "hausa",
            "ba", "bashkir", "jw", "javanese", "su", "sundanese", "yue", "cantonese");

    private static final Map<String, String> NAMES = new LinkedHashMap<>();

    static {
        for (int i = 0; i < CODES_AND_NAMES.size(); i += 2) {
            NAMES.put(CODES_AND_NAMES.get(i), CODES_AND_NAMES.get(i + 1));
        }
    }

    private WhisperLanguages() {
    }

    /** The codes of the first {@code count} languages. */
    static Set<String> first(int count) {
        return Set.copyOf(NAMES.keySet().stream().limit(count).toList());
    }

    /** {@code english} for {@code en}. */
    static Optional<String> name(String code) {
        return Optional.ofNullable(NAMES.get(code));
    }
}
