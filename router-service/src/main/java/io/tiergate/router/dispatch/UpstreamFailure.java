package io.tiergate.router.dispatch;

import java.time.Duration;
import java.util.Optional;

/** Why one attempt on a backend failed, and what that means for retrying and for its circuit breaker. */
public final class UpstreamFailure extends RuntimeException {

    public enum Kind {
        CONNECT("connect_error", true, true),
        TIMEOUT("timeout", true, true),
        SERVER_ERROR("server_error", true, true),
        /** 429: the account is rate limited; the backend itself is healthy. */
        RATE_LIMITED("rate_limited", true, false),
        /** 401, 403, 404: this backend's key or URL is wrong; retrying it cannot help. */
        REJECTED("rejected", false, true);

        private final String outcome;
        private final boolean retryable;
        private final boolean countsAgainstBackend;

        Kind(String outcome, boolean retryable, boolean countsAgainstBackend) {
            this.outcome = outcome;
            this.retryable = retryable;
            this.countsAgainstBackend = countsAgainstBackend;
        }

        public String outcome() {
            return outcome;
        }
    }

    private final Kind kind;
    private final Integer status;
    private final Duration retryAfter;

    public UpstreamFailure(Kind kind, Integer status, Duration retryAfter, String detail) {
        super(detail, null, false, false);
        this.kind = kind;
        this.status = status;
        this.retryAfter = retryAfter;
    }

    public Kind kind() {
        return kind;
    }

    public Integer status() {
        return status;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    public boolean retryable() {
        return kind.retryable;
    }

    /** The circuit breaker's failure predicate: only failures that say the backend is unhealthy count. */
    public static boolean countsAgainstBackend(Throwable failure) {
        return failure instanceof UpstreamFailure upstream && upstream.kind.countsAgainstBackend;
    }
}
