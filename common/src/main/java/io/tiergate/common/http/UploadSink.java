package io.tiergate.common.http;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * Where an upload's body goes as it arrives, piece by piece: {@link UploadSpool} hands each piece over on the request's
 * event loop and pauses the caller while pieces wait to be taken.
 *
 * @param <T> what the sink makes of the whole body
 */
public interface UploadSink<T> {

    /**
     * Takes the next piece of the body, after those before it. The future fails, with a
     * {@link io.tiergate.common.problem.ProblemException} for a body that is wrong, to refuse the upload.
     */
    Future<Void> write(Buffer piece);

    /** The body has ended: what the sink made of it, once every piece is taken. */
    Future<T> end();

    /** The upload was refused or its caller hung up: releases what the sink made so far, once any write under way is done. */
    void abandon();
}
