package io.tiergate.router.api;

import io.tiergate.common.http.UploadSpool;
import io.tiergate.router.config.RouterConfig;
import io.tiergate.router.dispatch.RequestBody;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClosedException;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;

/**
 * The router's {@link UploadSpool}: an upload endpoint's body is spooled before its route runs and is the request's
 * body for every attempt; the file is deleted when the response has ended.
 */
@ApplicationScoped
public class BodySpooler {

    private static final String BODY = "tiergate.spooled-body";

    private final UploadSpool spool;

    public BodySpooler(Vertx vertx, RouterConfig config) {
        RouterConfig.Spool settings = config.spool();
        this.spool = new UploadSpool(vertx, settings.dir().map(Path::of)
                .orElse(Path.of(System.getProperty("java.io.tmpdir"), "tiergate-spool")), settings.maxTotalBytes(),
                "tiergate.router.spool.max-body-bytes, or tiergate.router.body-limits.<capability>");
    }

    /** The body spooled for this request, or null when its endpoint reads bodies into memory. */
    static RequestBody spooledBody(RoutingContext ctx) {
        return ctx.get(BODY);
    }

    /** A route handler taking uploads of at most {@code limit} bytes. */
    Handler<RoutingContext> limitedTo(long limit) {
        return ctx -> spool.spool(ctx.request(), limit).onComplete(spooled -> {
            if (spooled.succeeded()) {
                UploadSpool.Spooled body = spooled.result();
                ctx.addEndHandler(ignored -> spool.discard(body));
                ctx.put(BODY, new RequestBody.Spooled(body.file(), body.size(), body.contentType()));
                ctx.next();
            } else if (!(spooled.cause() instanceof HttpClosedException) && !ctx.failed() && !ctx.response().ended()) {
                // A caller who hung up is owed nothing.
                ctx.fail(spooled.cause());
            }
        });
    }
}
