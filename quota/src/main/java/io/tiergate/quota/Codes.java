package io.tiergate.quota;

/** The short names quota.lua uses for units and windows. */
final class Codes {

    static final QuotaUnit[] UNITS = QuotaUnit.values();
    static final QuotaWindow[] WINDOWS = QuotaWindow.values();

    private Codes() {}

    static String of(QuotaUnit unit) {
        return switch (unit) {
            case REQUESTS -> "req";
            case TOKENS -> "tok";
            case AUDIO_SECONDS -> "aud";
        };
    }

    static String of(QuotaWindow window) {
        return switch (window) {
            case MINUTE -> "m";
            case HOUR -> "h";
            case DAY -> "d";
        };
    }

    static QuotaUnit unit(String code) {
        return switch (code) {
            case "req" -> QuotaUnit.REQUESTS;
            case "tok" -> QuotaUnit.TOKENS;
            case "aud" -> QuotaUnit.AUDIO_SECONDS;
            default -> throw new IllegalStateException("unknown unit code from quota.lua: " + code);
        };
    }

    static QuotaWindow window(String code) {
        return switch (code) {
            case "m" -> QuotaWindow.MINUTE;
            case "h" -> QuotaWindow.HOUR;
            case "d" -> QuotaWindow.DAY;
            default -> throw new IllegalStateException("unknown window code from quota.lua: " + code);
        };
    }
}
