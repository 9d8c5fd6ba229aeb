package io.tiergate.router.api;

import io.tiergate.common.http.BearerTokens;
import io.tiergate.router.config.RouterConfig;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import java.util.Optional;

/** Checks the admin bearer token on {@link AdminOnly} endpoints, in constant time. */
@Provider
@AdminOnly
public class AdminTokenFilter implements ContainerRequestFilter {

    private static final String REALM = "tiergate-router-admin";

    // JAX-RS providers are created before run-time configuration is available, so it is read per call.
    private final Instance<RouterConfig> config;

    public AdminTokenFilter(Instance<RouterConfig> config) {
        this.config = config;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        Optional<String> token = config.get().admin().token().filter(value -> !value.isBlank());
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (token.isEmpty()) {
            request.abortWith(BearerTokens.unauthorized(REALM, authorization,
                    "Admin changes are disabled: no admin token is configured (TIERGATE_ROUTER_ADMIN_TOKEN)"));
        } else if (!BearerTokens.carries(authorization, token.get())) {
            request.abortWith(BearerTokens.unauthorized(REALM, authorization,
                    "This call needs the header 'Authorization: Bearer <admin token>'"));
        }
    }
}
