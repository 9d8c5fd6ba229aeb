package io.tiergate.router.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A provider's Retry-After rests its account for what it says, and only when it says it in the header's own terms. */
class RetryAfterTest {

    @Test
    void secondsAreTakenWholeOrWithAFraction() {
        assertThat(RetryAfter.parse("120")).contains(Duration.ofSeconds(120));
        assertThat(RetryAfter.parse(" 1.5 ")).contains(Duration.ofMillis(1500));
        assertThat(RetryAfter.parse("Wed, 21 Oct 2015 07:28:00 GMT")).contains(Duration.ZERO);
    }

    @Test
    void numbersInOtherSpellingsAreNotRetryAfters() {
        for (String value : new String[] {"Infinity", "NaN", "0x1p4", "1e3", "-5", "12d", "soon"}) {
            assertThat(RetryAfter.parse(value)).as(value).isEmpty();
        }
    }
}
