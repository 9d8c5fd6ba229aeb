package io.tiergate.router.dispatch;

import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.mutiny.Uni;
import io.tiergate.common.problem.Problem;
import io.tiergate.router.config.RouterConfig;
import io.tiergate.router.metrics.RouterMetrics;
import io.tiergate.router.providers.Backend;
import io.tiergate.router.routing.Candidate;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;

/**
 * Walks a plan's candidates in order. Each attempt takes one of the backend's call slots and goes
 * through its circuit breaker; retryable failures are retried with exponential backoff and jitter, or
 * after the backend's Retry-After, before falling back to the next candidate.
 */
@ApplicationScoped
public class Dispatcher {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class);

    private final UpstreamClient client;
    private final RouterConfig.Dispatch config;
    private final RouterMetrics metrics;
    private final Vertx vertx;

    public Dispatcher(UpstreamClient client, RouterConfig config, RouterMetrics metrics, Vertx vertx) {
        this.client = client;
        this.config = config.dispatch();
        this.metrics = metrics;
        this.vertx = vertx;
    }

    /** Tries the candidates in order, sending each the request that {@code requestFor} builds for it. */
    public Uni<Dispatched> dispatch(List<Candidate> candidates, Function<Candidate, UpstreamRequest> requestFor) {
        return new Walk(candidates, requestFor).attempt(0, 0, false);
    }

    /** The state of one request's walk through its candidates. */
    private final class Walk {
        private final List<Candidate> candidates;
        private final Function<Candidate, UpstreamRequest> requestFor;
        private final List<Problem.Attempt> attempts = new ArrayList<>();
        private boolean onlyQuotaFailures = true;
        private Duration earliestRetry;

        Walk(List<Candidate> candidates, Function<Candidate, UpstreamRequest> requestFor) {
            this.candidates = candidates;
            this.requestFor = requestFor;
        }

        Uni<Dispatched> attempt(int index, int retry, boolean waitedForSlot) {
            if (index >= candidates.size()) {
                return Uni.createFrom().failure(exhausted());
            }
            Candidate candidate = candidates.get(index);
            Backend backend = candidate.backend();
            if (!backend.tryAcquireSlot()) {
                if (!waitedForSlot) {
                    return delay(config.bulkhead().maxWait()).flatMap(ignored -> attempt(index, retry, true));
                }
                onlyQuotaFailures = false;
                record(backend, "bulkhead_full", null, 0, "all " + backend.inFlight() + " call slots busy");
                return next(index, backend);
            }
            long started = System.nanoTime();
            return backend.guard().get(() -> client.send(requestFor.apply(candidate)))
                    .onTermination().invoke(backend::releaseSlot)
                    .onItem().transform(reply -> {
                        long micros = (System.nanoTime() - started) / 1000;
                        backend.stats().recordSuccess(micros);
                        record(backend, "success", reply.status(), micros, null);
                        return new Dispatched(candidate, reply, List.copyOf(attempts));
                    })
                    .onFailure().recoverWithUni(failure -> afterFailure(index, retry, backend, started, failure));
        }

        private Uni<Dispatched> afterFailure(int index, int retry, Backend backend, long started,
                Throwable failure) {
            long micros = (System.nanoTime() - started) / 1000;
            if (failure instanceof CircuitBreakerOpenException) {
                onlyQuotaFailures = false;
                noteRetry(backend.openUntil().map(until -> Duration.between(Instant.now(), until)).orElse(null));
                record(backend, "circuit_open", null, micros, "circuit breaker open");
                return next(index, backend);
            }
            if (!(failure instanceof UpstreamFailure upstream)) {
                LOG.warnf(failure, "Unexpected failure calling %s", backend.id());
                onlyQuotaFailures = false;
                record(backend, "error", null, micros, String.valueOf(failure.getMessage()));
                return next(index, backend);
            }
            backend.stats().recordError(upstream.getMessage());
            record(backend, upstream.kind().outcome(), upstream.status(), micros, upstream.getMessage());
            if (upstream.kind() != UpstreamFailure.Kind.RATE_LIMITED) {
                onlyQuotaFailures = false;
            }
            if (upstream.retryable() && retry < config.maxRetries()
                    && backend.breakerState() != CircuitBreakerState.OPEN) {
                Duration wait = upstream.retryAfter().orElseGet(() -> backoff(retry));
                if (wait.compareTo(config.maxRetryAfter()) <= 0) {
                    return delay(wait).flatMap(ignored -> attempt(index, retry + 1, false));
                }
            }
            upstream.retryAfter().ifPresent(this::noteRetry);
            return next(index, backend);
        }

        private Uni<Dispatched> next(int index, Backend from) {
            if (index + 1 < candidates.size()) {
                metrics.fallback(from.provider().name(), candidates.get(index + 1).backend().provider().name());
            }
            return attempt(index + 1, 0, false);
        }

        private void record(Backend backend, String outcome, Integer status, long micros, String detail) {
            attempts.add(new Problem.Attempt(backend.provider().name(), backend.account(), outcome, status, micros / 1000, detail));
            metrics.attempt(backend.provider().name(), backend.account(), outcome);
        }

        private void noteRetry(Duration wait) {
            if (wait != null && (earliestRetry == null || wait.compareTo(earliestRetry) < 0)) {
                earliestRetry = wait;
            }
        }

        private NoBackendAvailableException exhausted() {
            boolean quota = onlyQuotaFailures && !attempts.isEmpty();
            String detail = candidates.isEmpty()
                    ? "No backend is eligible for this request; POST it to /v1/route/explain to see why."
                    : "All " + candidates.size() + " eligible backend(s) failed or were skipped.";
            return new NoBackendAvailableException(detail, attempts, quota,
                    earliestRetry != null ? earliestRetry : config.breaker().openFor().dividedBy(10));
        }
    }

    private Duration backoff(int retry) {
        long base = Math.min(config.maxBackoff().toMillis(), config.initialBackoff().toMillis() << Math.min(retry, 20));
        double spread = base * config.jitter();
        long jittered = (long) (base - spread + ThreadLocalRandom.current().nextDouble() * 2 * spread);
        return Duration.ofMillis(Math.max(0, jittered));
    }

    private Uni<Void> delay(Duration wait) {
        if (wait.isZero()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().emitter(emitter -> vertx.setTimer(Math.max(1, wait.toMillis()), id -> emitter.complete(null)));
    }
}
