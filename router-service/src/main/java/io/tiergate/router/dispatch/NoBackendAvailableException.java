package io.tiergate.router.dispatch;

import io.tiergate.common.problem.Problem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Every candidate was tried or skipped and none answered. */
public final class NoBackendAvailableException extends RuntimeException {

    private final List<Problem.Attempt> attempts;
    private final boolean causedByQuota;
    private final Duration retryAfter;

    public NoBackendAvailableException(String detail, List<Problem.Attempt> attempts, boolean causedByQuota, Duration retryAfter) {
        super(detail, null, false, false);
        this.attempts = List.copyOf(attempts);
        this.causedByQuota = causedByQuota;
        this.retryAfter = retryAfter;
    }

    public List<Problem.Attempt> attempts() {
        return attempts;
    }

    /** True when every failure was a rate limit or exhausted quota, so the caller should get 429. */
    public boolean causedByQuota() {
        return causedByQuota;
    }

    /** The earliest moment an attempted backend said it could serve again, when one said so. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** This failure preceded by an {@code earlier} one of the same request (null for none): all attempts, in order. */
    public NoBackendAvailableException after(NoBackendAvailableException earlier) {
        if (earlier == null) {
            return this;
        }
        List<Problem.Attempt> all = new ArrayList<>(earlier.attempts);
        all.addAll(attempts);
        Duration sooner = retryAfter == null ? earlier.retryAfter
                : earlier.retryAfter == null || retryAfter.compareTo(earlier.retryAfter) < 0 ? retryAfter : earlier.retryAfter;
        return new NoBackendAvailableException(getMessage(), all, causedByQuota && earlier.causedByQuota, sooner);
    }

    public Problem toProblem() {
        Problem problem = causedByQuota
                ? Problem.of(429, "quota-exhausted", "Quota exhausted", getMessage())
                : Problem.of(503, "no-backend-available", "No backend available", getMessage());
        return problem.withAttempts(attempts);
    }
}
