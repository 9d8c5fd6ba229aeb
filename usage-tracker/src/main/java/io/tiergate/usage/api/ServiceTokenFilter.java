package io.tiergate.usage.api;

import io.quarkus.runtime.StartupEvent;
import io.tiergate.common.http.BearerTokens;
import io.tiergate.usage.config.TrackerConfig;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Every call that changes quota, whatever its method but GET, HEAD and OPTIONS, must carry the service token
 * ({@code tiergate.usage.service-token}): a caller that could reserve or cool down accounts at will could starve every
 * replica of a provider. New endpoints are covered without opting in. Reads stay open, like {@code /q/metrics}: usage
 * counts and limits are what Prometheus scrapes anyway, and they hold no secret.
 */
@Provider
public class ServiceTokenFilter implements ContainerRequestFilter {

    private static final Logger LOG = Logger.getLogger(ServiceTokenFilter.class);
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");
    private static final String REALM = "tiergate-usage-tracker";

    // JAX-RS providers are created before run-time configuration is available, so it is read per call.
    private final Instance<TrackerConfig> config;

    public ServiceTokenFilter(Instance<TrackerConfig> config) {
        this.config = config;
    }

    void warnWithoutToken(@Observes StartupEvent started) {
        if (token().isEmpty()) {
            LOG.warn("No service token is configured (tiergate.usage.service-token, TIERGATE_USAGE_SERVICE_TOKEN): "
                    + "reservations, commits, releases and cooldowns are refused with 401 until one is.");
        }
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (READS.contains(request.getMethod())) {
            return;
        }
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        Optional<String> token = token();
        if (token.isEmpty()) {
            request.abortWith(BearerTokens.unauthorized(REALM, authorization,
                    "Changes to quota are disabled: no service token is configured "
                            + "(tiergate.usage.service-token, environment variable TIERGATE_USAGE_SERVICE_TOKEN)."));
        } else if (!BearerTokens.carries(authorization, token.get())) {
            request.abortWith(BearerTokens.unauthorized(REALM, authorization,
                    "This call changes quota and needs the header 'Authorization: Bearer <service token>' "
                            + "with the tracker's token (tiergate.usage.service-token)."));
        }
    }

    private Optional<String> token() {
        return config.get().serviceToken().filter(token -> !token.isBlank());
    }
}
