package io.tiergate.router.dispatch;

import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.mutiny.Uni;
import io.tiergate.common.problem.Problem;
import io.tiergate.quota.AccountQuota;
import io.tiergate.quota.QuotaLedger;
import io.tiergate.quota.Reservation;
import io.tiergate.quota.QuotaUnit;
import io.tiergate.quota.ReservationResult;
import io.tiergate.quota.ReservationResult.Granted;
import io.tiergate.router.config.RouterConfig;
import io.tiergate.router.metrics.RouterMetrics;
import io.tiergate.router.providers.Backend;
import io.tiergate.router.routing.Candidate;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;

/**
 * Walks a plan's candidates in order. For a provider with quota limits every attempt first reserves
 * quota on the account with the most headroom and settles it afterwards; other providers' accounts
 * are used in order. Each attempt takes one of the account's call slots and goes through its
 * circuit breaker; retryable failures are retried with exponential backoff and jitter, or after the
 * backend's Retry-After, before the next account and then the next candidate are tried. A 500 the request itself
 * causes is not retried. A backend skipped while its half-open breaker's probe was in flight is tried once more after
 * the probe, when nothing else served.
 */
@ApplicationScoped
public class Dispatcher {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class);
    /** The outcome of an attempt that failed with a 500 the request itself causes. */
    private static final String CAUSED_BY_REQUEST = "request_caused_error";
    /** The outcome of an attempt whose backend refused the kind of work asked for (see {@link Exchange#declined}). */
    private static final String DECLINED = "declined";

    private final UpstreamClient client;
    private final RouterConfig.Dispatch config;
    private final RouterMetrics metrics;
    private final QuotaLedger ledger;
    private final Vertx vertx;
    private final BackendGuards guards;
    private final SecretRedactor redactor;

    public Dispatcher(UpstreamClient client, RouterConfig config, RouterMetrics metrics, QuotaLedger ledger, Vertx vertx,
            BackendGuards guards, SecretRedactor redactor) {
        this.client = client;
        this.guards = guards;
        this.redactor = redactor;
        this.config = config.dispatch();
        this.metrics = metrics;
        this.ledger = ledger;
        this.vertx = vertx;
    }

    public Uni<Dispatched> dispatch(List<Candidate> candidates, Exchange exchange) {
        return new Walk(candidates, exchange).attempt(0, 0, false);
    }

    /** The state of one request's walk through its candidates. */
    private final class Walk {
        private final List<Candidate> candidates;
        private final Exchange exchange;
        private final List<Problem.Attempt> attempts = new ArrayList<>();
        private final Set<Backend> spent = new HashSet<>();
        private boolean onlyQuotaFailures = true;
        private Duration earliestRetry;
        /** The last 500 each backend answered this request, to tell a failure the request causes from a passing one. */
        private final Map<Backend, String> serverErrors = new HashMap<>();
        private boolean causedServerError;
        /** Backends passed over while their half-open breaker's probe was in flight, come back to once nothing else served. */
        private final List<PassedOver> awaitingProbe = new ArrayList<>();
        private final Set<Backend> probesAwaited = new HashSet<>();
        private boolean revisiting;
        /** The last refusal of the kind of work asked for: the answer when every attempt ended so. */
        private Dispatched lastDeclined;

        Walk(List<Candidate> candidates, Exchange exchange) {
            this.candidates = candidates;
            this.exchange = exchange;
        }

        Uni<Dispatched> attempt(int index, int retry, boolean waitedForSlot) {
            if (index >= candidates.size()) {
                return afterLastCandidate();
            }
            Candidate candidate = candidates.get(index);
            List<Backend> usable = candidate.backends().stream().filter(backend -> !spent.contains(backend)).toList();
            if (usable.isEmpty()) {
                return next(index);
            }
            if (!candidate.provider().quotaLimited()) {
                return call(index, retry, waitedForSlot, usable.get(0), Optional.empty());
            }
            List<AccountQuota> accounts = usable.stream().map(backend -> backend.quota().orElseThrow()).toList();
            return ledger.reserve(candidate.provider().name(), accounts, exchange.estimate(), exchange.smallestEstimate().tokens(),
                            candidate.provider().timeout())
                    .flatMap(result -> afterReservation(index, retry, waitedForSlot, usable, result));
        }

        private Uni<Dispatched> afterReservation(int index, int retry, boolean waitedForSlot, List<Backend> usable,
                ReservationResult result) {
            Candidate candidate = candidates.get(index);
            if (result instanceof Granted granted) {
                Backend backend = usable.stream().filter(b -> b.account().equals(granted.account())).findFirst().orElseThrow();
                return call(index, retry, waitedForSlot, backend, Optional.of(granted));
            }
            String provider = candidate.provider().name();
            if (result instanceof ReservationResult.Exhausted exhausted) {
                noteRetry(Duration.between(Instant.now(), exhausted.retryAt()));
                attempts.add(new Problem.Attempt(provider, null, "quota_exhausted", null, 0, describe(exhausted)));
                metrics.attempt(provider, "none", "quota_exhausted");
            } else if (result instanceof ReservationResult.Unavailable unavailable) {
                onlyQuotaFailures = false;
                attempts.add(new Problem.Attempt(provider, null, "quota_unavailable", null, 0, unavailable.reason()));
                metrics.attempt(provider, "none", "quota_unavailable");
            }
            return next(index);
        }

        private Uni<Dispatched> call(int index, int retry, boolean waitedForSlot, Backend backend, Optional<Granted> grant) {
            Candidate candidate = candidates.get(index);
            Optional<Reservation> reservation = grant.map(Granted::reservation);
            if (!backend.tryAcquireSlot()) {
                reservation.ifPresent(held -> settle(ledger.release(held)));
                if (!waitedForSlot) {
                    return delay(config.bulkhead().maxWait()).flatMap(ignored -> attempt(index, retry, true));
                }
                onlyQuotaFailures = false;
                record(backend, "bulkhead_full", null, 0, "all " + backend.inFlight() + " call slots busy");
                spent.add(backend);
                return attempt(index, 0, false);
            }
            long started = System.nanoTime();
            // A breaker that is not closed decides itself: it lets its half-open probe through, or refuses. Otherwise the
            // request's outcome on this backend is recorded once, after its last attempt here, so its retries count as one.
            boolean throughBreaker = backend.breakerState() != CircuitBreakerState.CLOSED;
            Exchange.Attempt attempt = exchange.attemptOn(candidate, backend, tokenBudget(backend, grant));
            Uni<UpstreamReply> sent = throughBreaker
                    ? guards.throughBreaker(backend, () -> client.send(attempt.request()))
                    : client.send(attempt.request());
            // What follows is decided first and run after, so a later attempt's failure is never taken for this one's.
            return sent
                    .onTermination().invoke(backend::releaseSlot)
                    // The caller gone mid-call: as with a timeout, the backend may have counted the call.
                    .onCancellation().invoke(() -> grant.ifPresent(this::spendHeld))
                    .onItem().transform(reply -> answered(index, backend, reservation, attempt, started, throughBreaker, reply))
                    .onFailure().recoverWithItem(failure -> () -> afterFailure(index, retry, backend, grant, started, failure, throughBreaker))
                    .flatMap(Supplier::get);
        }

        /**
         * The backend answered: the request is served, unless the answer declines the kind of work asked for, which sends
         * the request on to the next candidate. Either way the backend is answering, and a refusal counts neither way on its
         * breaker.
         */
        private Supplier<Uni<Dispatched>> answered(int index, Backend backend, Optional<Reservation> reservation,
                Exchange.Attempt attempt, long started, boolean throughBreaker, UpstreamReply reply) {
            Candidate candidate = candidates.get(index);
            if (!throughBreaker) {
                guards.answered(backend, reply);
            }
            long micros = (System.nanoTime() - started) / 1000;
            backend.stats().recordSuccess(micros);
            Optional<String> declined = reply.isStream() ? Optional.empty() : exchange.declined(candidate, reply);
            if (declined.isPresent()) {
                reservation.ifPresent(held -> settle(ledger.release(held)));
                onlyQuotaFailures = false;
                record(backend, DECLINED, reply.status(), micros, redactor.redact(declined.get()));
                // Its other accounts would decline alike.
                spent.addAll(candidate.backends());
                lastDeclined = new Dispatched(candidate, backend, reply, List.of(), StreamSettlement.NONE, OptionalLong.empty());
                return () -> next(index);
            }
            record(backend, "success", reply.status(), micros, null);
            StreamSettlement streamSettlement = StreamSettlement.NONE;
            if (reservation.isPresent() && reply.isStream()) {
                Reservation held = reservation.get();
                streamSettlement = StreamSettlement.once(reported -> settle(ledger.commit(held, exchange.streamedUsage(reported))));
            } else {
                reservation.ifPresent(held -> settle(ledger.commit(held, exchange.actualUsage(candidate, reply))));
            }
            Dispatched dispatched = new Dispatched(candidate, backend, reply, List.copyOf(attempts), streamSettlement, attempt.outputCap());
            return () -> Uni.createFrom().item(dispatched);
        }

        private Uni<Dispatched> afterFailure(int index, int retry, Backend backend, Optional<Granted> grant,
                long started, Throwable failure, boolean throughBreaker) {
            long micros = (System.nanoTime() - started) / 1000;
            Optional<Reservation> reservation = grant.map(Granted::reservation);
            if (!(failure instanceof UpstreamFailure upstream)) {
                reservation.ifPresent(held -> settle(ledger.release(held)));
                onlyQuotaFailures = false;
                if (failure instanceof CircuitBreakerOpenException && backend.breakerState() != CircuitBreakerState.OPEN
                        && probesAwaited.add(backend)) {
                    awaitingProbe.add(new PassedOver(index, backend));
                    record(backend, "circuit_open", null, micros, "circuit breaker half-open, its probe in flight");
                } else if (failure instanceof CircuitBreakerOpenException) {
                    noteRetry(backend.openUntil().map(until -> Duration.between(Instant.now(), until)).orElse(null));
                    record(backend, "circuit_open", null, micros, "circuit breaker open");
                } else {
                    LOG.warnf(failure, "Unexpected failure calling %s", backend.id());
                    record(backend, "error", null, micros, String.valueOf(failure.getMessage()));
                }
                spent.add(backend);
                return attempt(index, 0, false);
            }
            boolean causedByRequest = causedByRequest(backend, upstream);
            backend.stats().recordError(upstream.getMessage());
            record(backend, causedByRequest ? CAUSED_BY_REQUEST : upstream.kind().outcome(), upstream.status(), micros,
                    upstream.getMessage());
            grant.ifPresent(held -> settleFailed(held, upstream));
            if (upstream.kind() != UpstreamFailure.Kind.RATE_LIMITED) {
                onlyQuotaFailures = false;
            }
            if (upstream.retryable() && !causedByRequest && retry < config.maxRetries()
                    && backend.breakerState() != CircuitBreakerState.OPEN) {
                Duration wait = upstream.retryAfter().orElseGet(() -> backoff(retry));
                if (wait.compareTo(config.maxRetryAfter()) <= 0) {
                    return delay(wait).flatMap(ignored -> attempt(index, retry + 1, false));
                }
            }
            if (!throughBreaker && causedByRequest) {
                guards.failedOnRequest(backend, upstream);
            } else if (!throughBreaker) {
                guards.failed(backend, upstream);
            }
            upstream.retryAfter().ifPresent(this::noteRetry);
            spent.add(backend);
            return attempt(index, 0, false);
        }

        /**
         * A 429 means the provider did not count the call and the account should rest; a timeout may have been
         * counted, so the estimate stays; any other failure happened before the provider counted anything.
         */
        private void settleFailed(Granted grant, UpstreamFailure failure) {
            Reservation held = grant.reservation();
            switch (failure.kind()) {
                case RATE_LIMITED -> {
                    settle(ledger.cooldown(held.account(), failure.retryAfter()));
                    settle(ledger.release(held));
                }
                case TIMEOUT -> spendHeld(grant);
                default -> settle(ledger.release(held));
            }
        }

        /** A call the provider may have counted, with no usage reported: the estimate held is what it spent. */
        private void spendHeld(Granted grant) {
            settle(ledger.commit(grant.reservation(), grant.held()));
        }

        /**
         * A 500 the request itself seems to cause: the same answer again from this backend, or any 500 once the request
         * has made a backend fail so. Retrying it would get the same answer. 502, 503 and 504 say that a backend or
         * its gateway is unavailable, whatever it is sent.
         */
        private boolean causedByRequest(Backend backend, UpstreamFailure failure) {
            if (failure.kind() != UpstreamFailure.Kind.SERVER_ERROR || failure.status() != 500) {
                return false;
            }
            String previous = serverErrors.put(backend, failure.getMessage());
            causedServerError = causedServerError || failure.getMessage().equals(previous);
            return causedServerError;
        }

        /**
         * Nothing else served: waits for the probe of a backend passed over while its half-open breaker probed, then
         * tries that backend alone, through its breaker again; without one the request has failed.
         */
        private Uni<Dispatched> afterLastCandidate() {
            if (awaitingProbe.isEmpty()) {
                if (lastDeclined != null && attempts.stream().allMatch(tried -> DECLINED.equals(tried.outcome()))) {
                    return Uni.createFrom().item(new Dispatched(lastDeclined.candidate(), lastDeclined.backend(), lastDeclined.reply(),
                            List.copyOf(attempts), StreamSettlement.NONE, OptionalLong.empty()));
                }
                return Uni.createFrom().failure(exhausted());
            }
            PassedOver passedOver = awaitingProbe.remove(0);
            revisiting = true;
            candidates.forEach(candidate -> spent.addAll(candidate.backends()));
            spent.remove(passedOver.backend());
            return probeFinished(passedOver.backend()).flatMap(ignored -> attempt(passedOver.index(), 0, false));
        }

        private Uni<Dispatched> next(int index) {
            if (revisiting) {
                return afterLastCandidate();
            }
            if (index + 1 < candidates.size()) {
                metrics.fallback(candidates.get(index).provider().name(), candidates.get(index + 1).provider().name());
            }
            return attempt(index + 1, 0, false);
        }

        private void record(Backend backend, String outcome, Integer status, long micros, String detail) {
            attempts.add(new Problem.Attempt(backend.provider().name(), backend.account(), outcome, status, micros / 1000, detail));
            metrics.attempt(backend.provider().name(), backend.account(), outcome);
        }

        private void noteRetry(Duration wait) {
            if (wait != null && (earliestRetry == null || wait.compareTo(earliestRetry) < 0)) {
                earliestRetry = wait.isNegative() ? Duration.ZERO : wait;
            }
        }

        private NoBackendAvailableException exhausted() {
            boolean quota = onlyQuotaFailures && !attempts.isEmpty();
            String detail = candidates.isEmpty()
                    ? "No backend is eligible for this request; POST it to /v1/route/explain to see why."
                    : "All " + candidates.size() + " eligible provider(s) failed, were skipped or are out of quota.";
            return new NoBackendAvailableException(detail, attempts, quota, earliestRetry);
        }
    }

    /** The tokens an attempt may use: what its reservation holds, when its account limits tokens at all. */
    private static OptionalLong tokenBudget(Backend backend, Optional<Granted> grant) {
        return grant.isPresent() && backend.quota().orElseThrow().isLimitedIn(QuotaUnit.TOKENS)
                ? OptionalLong.of(grant.get().held().tokens())
                : OptionalLong.empty();
    }

    /** A backend passed over while its half-open breaker's probe was in flight, and the candidate it belongs to. */
    private record PassedOver(int index, Backend backend) {}

    private static String describe(ReservationResult.Exhausted exhausted) {
        StringBuilder detail = new StringBuilder("no quota left");
        for (ReservationResult.ExhaustedWindow window : exhausted.windows()) {
            detail.append("; ").append(window.account()).append(": ").append(window.unit().name().toLowerCase())
                    .append(" per ").append(window.window().name().toLowerCase()).append(" until ").append(window.resetAt());
        }
        for (ReservationResult.Cooldown cooldown : exhausted.cooldowns()) {
            detail.append("; ").append(cooldown.account()).append(": cooling down after 429 until ").append(cooldown.until());
        }
        return detail.toString();
    }

    /** Settlements run beside the response: their outcome changes nothing for this request. */
    private static void settle(Uni<?> settlement) {
        settlement.subscribe().with(ignored -> { }, failure -> LOG.warnf("Quota settlement failed: %s", failure.toString()));
    }

    private Duration backoff(int retry) {
        long base = Math.min(config.maxBackoff().toMillis(), config.initialBackoff().toMillis() << Math.min(retry, 20));
        double spread = base * config.jitter();
        long jittered = (long) (base - spread + ThreadLocalRandom.current().nextDouble() * 2 * spread);
        return Duration.ofMillis(Math.max(0, jittered));
    }

    /** Until the backend's half-open breaker has its probe's outcome, but no longer than the probe call may take. */
    private Uni<Void> probeFinished(Backend backend) {
        CompletionStage<Void> finished = guards.probeFinished(backend);
        return Uni.createFrom().emitter(emitter -> {
            long timer = vertx.setTimer(Math.max(1, backend.provider().timeout().toMillis()), id -> emitter.complete(null));
            finished.whenComplete((ignored, failure) -> {
                vertx.cancelTimer(timer);
                emitter.complete(null);
            });
        });
    }

    private Uni<Void> delay(Duration wait) {
        if (wait.isZero()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().emitter(emitter -> vertx.setTimer(Math.max(1, wait.toMillis()), id -> emitter.complete(null)));
    }
}
