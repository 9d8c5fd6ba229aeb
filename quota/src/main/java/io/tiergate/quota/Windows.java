package io.tiergate.quota;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Start and end (epoch ms) of the minute and day windows holding one instant, for one provider's reset. */
record Windows(long minuteStart, long minuteEnd, long dayStart, long dayEnd) {

    static Windows at(Instant now, DailyReset reset) {
        long minuteStart = now.truncatedTo(ChronoUnit.MINUTES).toEpochMilli();
        return new Windows(minuteStart, minuteStart + 60_000, reset.dayStart(now).toEpochMilli(), reset.dayEnd(now).toEpochMilli());
    }

    long start(QuotaWindow window) {
        return window == QuotaWindow.MINUTE ? minuteStart : dayStart;
    }

    long end(QuotaWindow window) {
        return window == QuotaWindow.MINUTE ? minuteEnd : dayEnd;
    }
}
