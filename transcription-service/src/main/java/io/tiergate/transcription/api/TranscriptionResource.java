package io.tiergate.transcription.api;

import io.smallrye.mutiny.Uni;
import io.tiergate.audio.AudioInfo;
import io.tiergate.audio.AudioProblems;
import io.tiergate.common.http.MultipartForm;
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
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InterruptedIOException;
import org.jboss.resteasy.reactive.server.multipart.FormValue;
import org.jboss.resteasy.reactive.server.multipart.MultipartFormDataInput;

/** OpenAI's audio endpoints: a recording in, its text out in the format asked for. */
@Path("/v1/audio")
public class TranscriptionResource {

    /** Which engine wrote the answer. */
    public static final String ENGINE_HEADER = "X-Tiergate-Engine";

    private final TranscriptionPipeline pipeline;
    private final TranscriptionMetrics metrics;

    public TranscriptionResource(TranscriptionPipeline pipeline, TranscriptionMetrics metrics) {
        this.pipeline = pipeline;
        this.metrics = metrics;
    }

    @POST
    @Path("/transcriptions")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Uni<Response> transcribe(MultipartFormDataInput form) {
        return MultipartForm.answeredOnAWorker(() -> answer(form, false));
    }

    /** Speech in any language the engine knows, written in English; 422 from an engine that cannot translate. */
    @POST
    @Path("/translations")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Uni<Response> translate(MultipartFormDataInput form) {
        return MultipartForm.answeredOnAWorker(() -> answer(form, true));
    }

    private Response answer(MultipartFormDataInput form, boolean translate) {
        TranscriptionEngine engine = pipeline.engine();
        MultipartForm values = new MultipartForm(form);
        TranscriptionOptions options = TranscriptionOptions.from(values::texts);
        FormValue file = values.file(AudioProblems.FIELD);
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
            AudioInfo audio = pipeline.probe().probe(file.getFileItem().getFile(), pipeline.maxAudioSeconds());
            Transcript transcript = transcriber.transcribe(file.getFileItem().getFile(), audio, options, translate);
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
