package io.tiergate.quota;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Start and end (epoch ms) of the minute, hour and day windows holding one instant, for one provider's reset. Minutes
 * and hours are clock ones (UTC); a day ends at the provider's reset time.
 */
record Windows(long minuteStart, long minuteEnd, long hourStart, long hourEnd, long dayStart, long dayEnd) {

    static Windows at(Instant now, DailyReset reset) {
        long minuteStart = now.truncatedTo(ChronoUnit.MINUTES).toEpochMilli();
        long hourStart = now.truncatedTo(ChronoUnit.HOURS).toEpochMilli();
        return new Windows(minuteStart, minuteStart + 60_000, hourStart, hourStart + 3_600_000,
                reset.dayStart(now).toEpochMilli(), reset.dayEnd(now).toEpochMilli());
    }

    long start(QuotaWindow window) {
        return switch (window) {
            case MINUTE -> minuteStart;
            case HOUR -> hourStart;
            case DAY -> dayStart;
        };
    }

    long end(QuotaWindow window) {
        return switch (window) {
            case MINUTE -> minuteEnd;
            case HOUR -> hourEnd;
            case DAY -> dayEnd;
        };
    }
}
