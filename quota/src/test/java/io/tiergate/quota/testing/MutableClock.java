package io.tiergate.quota.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock tests move by hand, to cross minute and day windows without sleeping. It runs with real time until frozen. */
public class MutableClock extends Clock {

    private volatile Duration offset = Duration.ZERO;
    private volatile Instant frozen;

    /** Stops the clock at {@code instant}. */
    public void freezeAt(Instant instant) {
        frozen = instant;
    }

    /** Moves the clock forward (frozen or not). */
    public void advance(Duration by) {
        Instant at = frozen;
        if (at != null) {
            frozen = at.plus(by);
        } else {
            offset = offset.plus(by);
        }
    }

    /** Back to real time. */
    public void reset() {
        frozen = null;
        offset = Duration.ZERO;
    }

    @Override
    public Instant instant() {
        Instant at = frozen;
        return at != null ? at : Instant.now().plus(offset);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("quota windows use their own zones");
    }
}
