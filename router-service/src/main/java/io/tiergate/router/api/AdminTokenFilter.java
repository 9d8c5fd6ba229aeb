package io.tiergate.router.api;

import io.tiergate.common.problem.Problem;
import io.tiergate.common.problem.ProblemMappers;
import io.tiergate.router.config.RouterConfig;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/** Checks the admin bearer token on {@link AdminOnly} endpoints, in constant time. */
@Provider
@AdminOnly
public class AdminTokenFilter implements ContainerRequestFilter {

    private static final String BEARER = "Bearer ";

    // JAX-RS providers are created before run-time configuration is available, so it is read per call.
    private final Instance<RouterConfig> config;

    public AdminTokenFilter(Instance<RouterConfig> config) {
        this.config = config;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        Optional<byte[]> token = config.get().admin().token().filter(value -> !value.isBlank())
                .map(value -> value.getBytes(StandardCharsets.UTF_8));
        if (token.isEmpty()) {
            request.abortWith(ProblemMappers.toResponse(Problem.of(401, "unauthorized", "Unauthorized",
                    "Admin changes are disabled: no admin token is configured (TIERGATE_ADMIN_TOKEN)")));
            return;
        }
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        boolean valid = authorization != null && authorization.startsWith(BEARER)
                && MessageDigest.isEqual(token.get(), authorization.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8));
        if (!valid) {
            request.abortWith(ProblemMappers.toResponse(Problem.of(401, "unauthorized", "Unauthorized",
                    "This call needs the header 'Authorization: Bearer <admin token>'")));
        }
    }
}
