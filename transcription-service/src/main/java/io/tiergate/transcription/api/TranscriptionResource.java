package io.tiergate.transcription.api;

import io.smallrye.mutiny.Uni;
import io.tiergate.audio.AudioInfo;
import io.tiergate.audio.form.AudioForm;
import io.tiergate.audio.form.FormIntake;
import io.tiergate.common.problem.Problem;
import io.tiergate.common.problem.ProblemException;
import io.tiergate.common.transcription.ResponseFormat;
import io.tiergate.common.transcription.Transcript;
import io.tiergate.common.transcription.TranscriptionOptions;
import io.tiergate.transcription.engine.TranscriptionEngine;
import io.tiergate.transcription.pipeline.ChunkFailedException;
import io.tiergate.transcription.pipeline.ChunkedTranscriber;
import io.tiergate.transcription.pipeline.TranscriptionMetrics;
import io.tiergate.transcription.pipeline.TranscriptionPipeline;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.Config;

/** OpenAI's audio endpoints: a recording in, its text out in the format asked for. */
@Path("/v1/audio")
public class TranscriptionResource {

    /** Which engine wrote the answer. */
    public static final String ENGINE_HEADER = "X-Tiergate-Engine";

    private final TranscriptionPipeline pipeline;
    private final TranscriptionMetrics metrics;
    private final FormIntake forms;

    public TranscriptionResource(TranscriptionPipeline pipeline, TranscriptionMetrics metrics, Vertx vertx, Config config) {
        this.pipeline = pipeline;
        this.metrics = metrics;
        this.forms = FormIntake.of(vertx, config, Set.of(), Map.of());
    }

    @POST
    @Path("/transcriptions")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> transcribe(@Context HttpServerRequest request) {
        return forms.answer(request, form -> answer(form, false));
    }

    /** Speech in any language the engine knows, written in English; 422 from an engine that cannot translate. */
    @POST
    @Path("/translations")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> translate(@Context HttpServerRequest request) {
        return forms.answer(request, form -> answer(form, true));
    }

    private Response answer(AudioForm form, boolean translate) {
        TranscriptionEngine engine = pipeline.engine();
        TranscriptionOptions options = TranscriptionOptions.from(form::values);
        AudioForm.Upload file = form.file();
        if (translate && !engine.translates()) {
            throw new ProblemException(Problem.of(422, "translation-unsupported", "Translation unsupported",
                    "the " + engine.name() + " engine transcribes but does not translate"));
        }
        options.language().filter(code -> !engine.languages().isEmpty() && !engine.languages().contains(code))
                .ifPresent(code -> {
                    throw new ProblemException(Problem.ofField(422, "language-unsupported", "Language unsupported",
                            "language", "the " + engine.name() + " engine transcribes " + String.join(", ", engine.languages())
                                    + ", not " + Problem.quoted(code)));
                });
        ChunkedTranscriber transcriber = pipeline.transcriber().orElseThrow(() -> new ProblemException(
                Problem.of(503, "not-ready", "Not ready", "the transcription pod is not ready: " + pipeline.status().detail())));
        try {
            AudioInfo audio = pipeline.probe().probe(file.path(), pipeline.maxAudioSeconds());
            Transcript transcript = transcriber.transcribe(file.path(), audio, options, translate);
            ResponseFormat format = options.responseFormat();
            return Response.ok(format.render(transcript), format.contentType()).header(ENGINE_HEADER, engine.name()).build();
        } catch (ChunkFailedException e) {
            metrics.failed(engine.name(), "chunk-failed");
            throw new ProblemException(Problem.of(503, "engine-failed", "Engine failed", e.getMessage()));
        } catch (IOException e) {
            metrics.failed(engine.name(), e instanceof InterruptedIOException ? "cancelled" : "io");
            throw new ProblemException(Problem.of(503, "engine-failed", "Engine failed",
                    "the recording could not be transcribed: " + e.getMessage()));
        }
    }
}
