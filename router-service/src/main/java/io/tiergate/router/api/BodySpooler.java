package io.tiergate.router.api;

import io.tiergate.audio.form.AudioForm;
import io.tiergate.audio.form.FormSink;
import io.tiergate.common.http.UploadSink;
import io.tiergate.common.http.UploadSpool;
import io.tiergate.router.config.RouterConfig;
import io.tiergate.router.dispatch.RequestBody;
import io.tiergate.router.pipeline.RoutedCapability;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClosedException;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.util.function.BiFunction;

/**
 * The router's {@link UploadSpool}: an upload endpoint's form is decoded as it arrives, before its route runs, its
 * uploads written to the spool directory, and is the request's body for every attempt; the uploads are deleted when
 * the response has ended.
 */
@ApplicationScoped
public class BodySpooler {

    private static final String BODY = "tiergate.spooled-form";

    private final Vertx vertx;
    private final UploadSpool spool;

    public BodySpooler(Vertx vertx, RouterConfig config) {
        RouterConfig.Spool settings = config.spool();
        this.vertx = vertx;
        this.spool = new UploadSpool(settings.dir().map(Path::of)
                .orElse(Path.of(System.getProperty("java.io.tmpdir"), "tiergate-spool")), settings.maxTotalBytes(),
                "tiergate.router.spool.max-body-bytes, or tiergate.router.body-limits.<capability>");
    }

    /** The form decoded for this request, or null when its endpoint reads bodies into memory. */
    static RequestBody form(RoutingContext ctx) {
        return ctx.get(BODY);
    }

    /** A route handler taking forms shaped as {@code form} says, of at most {@code limit} bytes. */
    Handler<RoutingContext> limitedTo(long limit, RoutedCapability.BodyIntake.Form form) {
        BiFunction<Path, String, UploadSink<AudioForm>> sinks = FormSink.of(vertx, form.uploads(), form.fieldLimits());
        return ctx -> spool.spool(ctx.request(), limit, sinks)
                .onComplete(spooled -> {
                    if (spooled.succeeded()) {
                        UploadSpool.Spooled<AudioForm> body = spooled.result();
                        ctx.addEndHandler(ignored -> FormSink.discard(vertx, spool, body));
                        ctx.put(BODY, new RequestBody.Form(body.body(), body.size()));
                        ctx.next();
                    } else if (!(spooled.cause() instanceof HttpClosedException) && !ctx.failed() && !ctx.response().ended()) {
                        // A caller who hung up is owed nothing.
                        ctx.fail(spooled.cause());
                    }
                });
    }
}
