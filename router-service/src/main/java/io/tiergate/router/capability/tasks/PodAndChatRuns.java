package io.tiergate.router.capability.tasks;

import io.smallrye.mutiny.Uni;
import io.tiergate.router.dispatch.NoBackendAvailableException;
import io.tiergate.router.pipeline.Answer;
import io.tiergate.router.routing.Candidate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Walks a task's plan in runs of consecutive candidates of one kind, in plan order: a run of providers that take the
 * task directly (pods) gets the request passed through, with fallback among them; a run of chat providers gets it as
 * chat calls. When every backend of a run fails, the next run takes over, and the caller's 503 lists every attempt.
 */
final class PodAndChatRuns {

    private final Predicate<Candidate> direct;
    private final Function<List<Candidate>, Uni<Answer>> onDirect;
    private final Function<List<Candidate>, Uni<Answer>> onChatProviders;

    PodAndChatRuns(Predicate<Candidate> direct, Function<List<Candidate>, Uni<Answer>> onDirect,
            Function<List<Candidate>, Uni<Answer>> onChatProviders) {
        this.direct = direct;
        this.onDirect = onDirect;
        this.onChatProviders = onChatProviders;
    }

    /** Serves over {@code candidates}; with {@code directOnly}, chat providers are left out (they cannot give a pod's local tier). */
    Uni<Answer> serve(List<Candidate> candidates, boolean directOnly) {
        return serve(runsOf(candidates, directOnly), 0, null);
    }

    private Uni<Answer> serve(List<List<Candidate>> runs, int run, NoBackendAvailableException earlier) {
        if (run == runs.size()) {
            return Uni.createFrom().failure(earlier != null ? earlier
                    : new NoBackendAvailableException("No backend can serve this request", List.of(), false, null));
        }
        List<Candidate> candidates = runs.get(run);
        Uni<Answer> served = direct.test(candidates.get(0)) ? onDirect.apply(candidates) : onChatProviders.apply(candidates);
        return served.onFailure(NoBackendAvailableException.class).recoverWithUni(failure ->
                serve(runs, run + 1, ((NoBackendAvailableException) failure).after(earlier)));
    }

    private List<List<Candidate>> runsOf(List<Candidate> candidates, boolean directOnly) {
        List<List<Candidate>> runs = new ArrayList<>();
        for (Candidate candidate : candidates) {
            boolean isDirect = direct.test(candidate);
            if (directOnly && !isDirect) {
                continue;
            }
            if (runs.isEmpty() || direct.test(runs.get(runs.size() - 1).get(0)) != isDirect) {
                runs.add(new ArrayList<>());
            }
            runs.get(runs.size() - 1).add(candidate);
        }
        return runs;
    }
}
