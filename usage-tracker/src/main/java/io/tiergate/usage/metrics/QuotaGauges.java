package io.tiergate.usage.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.tiergate.quota.AccountQuota;
import io.tiergate.quota.QuotaLedger;
import io.tiergate.quota.QuotaUnit;
import io.tiergate.quota.QuotaWindow;
import io.tiergate.quota.UsageReport;
import io.tiergate.usage.config.QuotaCatalog;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Prometheus gauges of what {@code GET /v1/usage} reports, per provider, account, unit and window:
 * {@code tiergate_quota_used}, {@code tiergate_quota_reserved}, {@code tiergate_quota_limit},
 * {@code tiergate_quota_reset_timestamp_seconds}; {@code tiergate_quota_cooldown_until_timestamp_seconds} per account
 * (0 when not cooling down) and {@code tiergate_quota_redis_up}. Scrapes read a snapshot refreshed from Redis on a
 * schedule, so a scrape never waits on Redis.
 */
@Startup
@Singleton
public class QuotaGauges {

    private static final Logger LOG = Logger.getLogger(QuotaGauges.class);

    private final QuotaLedger ledger;
    private final QuotaCatalog catalog;
    private final AtomicReference<Map<String, Double>> snapshot = new AtomicReference<>(Map.of());

    QuotaGauges(MeterRegistry registry, QuotaLedger ledger, QuotaCatalog catalog) {
        this.ledger = ledger;
        this.catalog = catalog;
        Gauge.builder("tiergate.quota.redis.up", ledger, l -> l.redisReachable() ? 1 : 0)
                .description("1 while the quota ledger reaches Redis")
                .register(registry);
        for (AccountQuota account : catalog.all()) {
            Tags accountTags = Tags.of("provider", account.provider(), "account", account.account());
            gauge(registry, "tiergate.quota.cooldown.until.timestamp.seconds", accountTags, key(account, "cooldown"));
            for (QuotaUnit unit : QuotaUnit.values()) {
                for (QuotaWindow window : QuotaWindow.values()) {
                    Tags tags = accountTags.and("unit", name(unit), "window", name(window));
                    gauge(registry, "tiergate.quota.used", tags, key(account, unit, window, "used"));
                    gauge(registry, "tiergate.quota.reserved", tags, key(account, unit, window, "reserved"));
                    gauge(registry, "tiergate.quota.reset.timestamp.seconds", tags, key(account, unit, window, "reset"));
                    account.limit(unit, window).ifPresent(limit -> Gauge.builder("tiergate.quota.limit", () -> limit)
                            .tags(tags)
                            .register(registry));
                }
            }
        }
    }

    @Scheduled(every = "${tiergate.usage.metrics-refresh}", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        return ledger.report(catalog.all())
                .invoke(this::update)
                .onFailure().invoke(failure -> LOG.warnf("Quota gauges not refreshed: %s", failure.toString()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    public void update(UsageReport report) {
        Map<String, Double> values = new HashMap<>();
        for (UsageReport.AccountUsage account : report.accounts()) {
            String base = account.provider() + '\n' + account.account();
            values.put(base + "\ncooldown", account.cooldownUntil() == null ? 0.0 : account.cooldownUntil().getEpochSecond());
            for (UsageReport.WindowUsage window : account.windows()) {
                String prefix = base + '\n' + window.unit() + '\n' + window.window() + '\n';
                values.put(prefix + "used", (double) window.used());
                values.put(prefix + "reserved", (double) window.reserved());
                values.put(prefix + "reset", (double) window.resetAt().getEpochSecond());
            }
        }
        snapshot.set(values);
    }

    private void gauge(MeterRegistry registry, String name, Tags tags, String key) {
        Gauge.builder(name, snapshot, s -> s.get().getOrDefault(key, 0.0)).tags(tags).register(registry);
    }

    private static String key(AccountQuota account, String what) {
        return account.provider() + '\n' + account.account() + '\n' + what;
    }

    private static String key(AccountQuota account, QuotaUnit unit, QuotaWindow window, String what) {
        return account.provider() + '\n' + account.account() + '\n' + unit + '\n' + window + '\n' + what;
    }

    private static String name(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
