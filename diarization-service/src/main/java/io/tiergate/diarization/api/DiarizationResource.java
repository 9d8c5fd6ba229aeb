package io.tiergate.diarization.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.tiergate.audio.AudioInfo;
import io.tiergate.audio.form.AudioForm;
import io.tiergate.audio.form.FormIntake;
import io.tiergate.common.diarization.AttributedDiarization;
import io.tiergate.common.diarization.AttributedSegment;
import io.tiergate.common.diarization.Diarization;
import io.tiergate.common.diarization.DiarizationOptions;
import io.tiergate.common.diarization.DiarizationRttm;
import io.tiergate.common.diarization.OverlappedSpeech;
import io.tiergate.common.diarization.SpeakerAlignment;
import io.tiergate.common.diarization.SpeakerCount;
import io.tiergate.common.problem.Problem;
import io.tiergate.common.problem.ProblemException;
import io.tiergate.diarization.engine.DiarizationEngine;
import io.tiergate.diarization.engine.DiarizedRecording;
import io.tiergate.diarization.engine.SpeakerCountHint;
import io.tiergate.diarization.pipeline.DiarizationMetrics;
import io.tiergate.diarization.pipeline.DiarizationPipeline;
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
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.Config;

/** Who spoke when in a recording, and, given its transcript, who said what. */
@Path("/v1/audio")
public class DiarizationResource {

    /** Which engine wrote the answer. */
    public static final String ENGINE_HEADER = "X-Tiergate-Engine";

    private final DiarizationPipeline pipeline;
    private final DiarizationMetrics metrics;
    private final ObjectMapper json;
    private final FormIntake forms;

    public DiarizationResource(DiarizationPipeline pipeline, DiarizationMetrics metrics, ObjectMapper json, Vertx vertx,
            Config config) {
        this.pipeline = pipeline;
        this.metrics = metrics;
        this.json = json;
        this.forms = FormIntake.of(vertx, config, Set.of(GivenTranscript.FIELD),
                Map.of(GivenTranscript.FIELD, GivenTranscript.MAX_TEXT_BYTES));
    }

    @POST
    @Path("/diarizations")
    @Consumes(MediaType.WILDCARD)
    public Uni<Response> diarize(@Context HttpServerRequest request) {
        return forms.answer(request, this::diarized);
    }

    private Response diarized(AudioForm form) {
        DiarizationOptions options = DiarizationOptions.from(form::values);
        AudioForm.Upload file = form.file();
        Optional<GivenTranscript> transcript = GivenTranscript.read(form.only(GivenTranscript.FIELD::equals), json);
        options.checkTranscript(transcript.isPresent());
        DiarizationEngine engine = pipeline.engine().orElseThrow(() -> new ProblemException(
                Problem.of(503, "not-ready", "Not ready", "the diarization pod is not ready: " + pipeline.detail())));
        try {
            AudioInfo audio = pipeline.probe(file.path());
            transcript.ifPresent(given -> given.requireWithin(audio.durationSeconds()));
            if (transcript.orElse(null) instanceof GivenTranscript.Diarized diarized) {
                return attributedByTranscript(audio, diarized);
            }
            DiarizedRecording recording = pipeline.diarize(engine, file.path(), audio,
                    hint(options.speakers()));
            Diarization diarization = new Diarization(recording.durationSeconds(), recording.speakers(),
                    recording.turns(), recording.overlap().stream()
                            .map(span -> new OverlappedSpeech(span.start(), span.end(), null)).toList(), engine.name());
            if (transcript.orElse(null) instanceof GivenTranscript.Verbose verbose) {
                List<AttributedSegment> segments = SpeakerAlignment.align(verbose.transcript(), recording.turns())
                        .segments();
                return answer(new AttributedDiarization(diarization.duration(), diarization.speakers(), segments,
                        diarization.overlap(), engine.name()), MediaType.APPLICATION_JSON, engine.name());
            }
            return options.format() == DiarizationOptions.Format.RTTM
                    ? answer(DiarizationRttm.render(diarization, DiarizationRttm.uriOf(file.filename())), MediaType.TEXT_PLAIN,
                            engine.name())
                    : answer(diarization, MediaType.APPLICATION_JSON, engine.name());
        } catch (IOException | UncheckedIOException e) {
            metrics.failed(engine.name(), e instanceof InterruptedIOException ? "cancelled" : "io");
            throw new ProblemException(Problem.of(503, "engine-failed", "Engine failed",
                    "the recording could not be diarized: " + e.getMessage()));
        }
    }

    /** A diarized_json transcript already says who spoke: it is answered as it is, without running the engine. */
    private static Response attributedByTranscript(AudioInfo audio, GivenTranscript.Diarized diarized) {
        return answer(AttributedDiarization.fromDiarized(diarized.transcript(), audio.durationSeconds()),
                MediaType.APPLICATION_JSON, AttributedDiarization.TRANSCRIPT_ENGINE);
    }

    private static SpeakerCountHint hint(SpeakerCount count) {
        return new SpeakerCountHint(count.exact(), count.min(), count.max());
    }

    private static Response answer(Object body, String mediaType, String engine) {
        return Response.ok(body, mediaType).header(ENGINE_HEADER, engine).build();
    }
}
