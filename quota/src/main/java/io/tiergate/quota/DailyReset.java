package io.tiergate.quota;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/** When a provider's day window ends: a local time in a time zone (default midnight UTC). */
public record DailyReset(LocalTime time, ZoneId zone) {

    public static final DailyReset UTC_MIDNIGHT = new DailyReset(LocalTime.MIDNIGHT, ZoneOffset.UTC);

    public DailyReset {
        if (time == null || zone == null) {
            throw new IllegalArgumentException("a daily reset needs a time and a zone");
        }
    }

    /** Start of the day window holding {@code now}: the latest reset at or before it. */
    public Instant dayStart(Instant now) {
        ZonedDateTime local = now.atZone(zone);
        ZonedDateTime reset = local.toLocalDate().atTime(time).atZone(zone);
        return (reset.isAfter(local) ? reset.minusDays(1) : reset).toInstant();
    }

    /** End of the day window holding {@code now}: the next reset after it. */
    public Instant dayEnd(Instant now) {
        return dayStart(now).atZone(zone).plusDays(1).toInstant();
    }
}
