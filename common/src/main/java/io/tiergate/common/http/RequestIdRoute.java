package io.tiergate.common.http;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.MDC;

/**
 * Gives every request of a service its {@link RequestIds id} in the first handler of the router, so JAX-RS
 * resources, Vert.x routes, health and metrics, and the errors Quarkus and Vert.x answer themselves all carry it.
 * <p>
 * The id goes into the MDC here, on the event loop. Quarkus serves each request on its own duplicated Vert.x
 * context and its MDC lives in that context, not in a thread: log lines written for the request on a worker thread
 * (blocking resources) or after an asynchronous hop that resumes on the context (Mutiny, the Vert.x clients) carry
 * the id too, and the next request starts without it. Threads a service starts itself do not see it.
 */
@Singleton
class RequestIdRoute {

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(RequestIdRoute::assign);
    }

    private static void assign(RoutingContext ctx) {
        String id = RequestIds.fromCaller(ctx.request().getHeader(RequestIds.HEADER));
        ctx.put(RequestIds.CONTEXT_KEY, id);
        ctx.response().putHeader(RequestIds.HEADER, id);
        MDC.put(RequestIds.MDC_KEY, id);
        ctx.next();
    }
}
