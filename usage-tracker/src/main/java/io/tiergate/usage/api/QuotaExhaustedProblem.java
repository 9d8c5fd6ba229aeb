package io.tiergate.usage.api;

import io.tiergate.common.problem.Problem;
import io.tiergate.quota.ReservationResult.Exhausted;
import java.time.Instant;
import java.util.List;

/**
 * The 429 problem body when every eligible account is out of quota: the RFC 9457 members of {@link Problem} plus
 * the exhausted windows, the cooldowns and the earliest time to retry as extension members, and the OpenAI-style
 * {@code error} member every problem carries.
 */
public record QuotaExhaustedProblem(String type, String title, int status, String detail, Instant retryAt,
        List<ExhaustedWindow> exhausted, List<Cooldown> cooldowns, Problem.OpenAiError error) {

    public record ExhaustedWindow(String account, String unit, String window, Instant resetAt) {}

    public record Cooldown(String account, Instant until) {}

    static QuotaExhaustedProblem of(Exhausted exhausted) {
        Problem base = Problem.of(429, "quota-exhausted", "Quota exhausted",
                "Every eligible account of " + exhausted.provider() + " is out of quota or cooling down until " + exhausted.retryAt());
        return new QuotaExhaustedProblem(base.type(), base.title(), base.status(), base.detail(), exhausted.retryAt(),
                exhausted.windows().stream()
                        .map(w -> new ExhaustedWindow(w.account(), UsageView.unitName(w.unit()), UsageView.windowName(w.window()), w.resetAt()))
                        .toList(),
                exhausted.cooldowns().stream().map(c -> new Cooldown(c.account(), c.until())).toList(),
                base.error());
    }
}
