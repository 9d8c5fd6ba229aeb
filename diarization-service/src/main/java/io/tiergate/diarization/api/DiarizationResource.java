package io.tiergate.diarization.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tiergate.audio.AudioInfo;
import io.tiergate.audio.AudioProblems;
import io.tiergate.common.diarization.AttributedDiarization;
import io.tiergate.common.diarization.AttributedSegment;
import io.tiergate.common.diarization.Diarization;
import io.tiergate.common.diarization.DiarizationRttm;
import io.tiergate.common.diarization.OverlappedSpeech;
import io.tiergate.common.diarization.SpeakerAlignment;
import io.tiergate.common.diarization.SpeakerTurn;
import io.tiergate.common.http.MultipartForm;
import io.tiergate.common.problem.Problem;
import io.tiergate.common.problem.ProblemException;
import io.tiergate.diarization.engine.DiarizationEngine;
import io.tiergate.diarization.engine.DiarizedRecording;
import io.tiergate.diarization.pipeline.DiarizationMetrics;
import io.tiergate.diarization.pipeline.DiarizationPipeline;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.multipart.FormValue;
import org.jboss.resteasy.reactive.server.multipart.MultipartFormDataInput;

/** Who spoke when in a recording, and, given its transcript, who said what. */
@Path("/v1/audio")
public class DiarizationResource {

    /** Which engine wrote the answer. */
    public static final String ENGINE_HEADER = "X-Tiergate-Engine";

    /** The {@code engine} of an answer whose speakers a {@code diarized_json} transcript named. */
    static final String TRANSCRIPT_ENGINE = "transcript";

    private final DiarizationPipeline pipeline;
    private final DiarizationMetrics metrics;
    private final ObjectMapper json;

    public DiarizationResource(DiarizationPipeline pipeline, DiarizationMetrics metrics, ObjectMapper json) {
        this.pipeline = pipeline;
        this.metrics = metrics;
        this.json = json;
    }

    @POST
    @Path("/diarizations")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response diarize(MultipartFormDataInput form) {
        MultipartForm values = new MultipartForm(form);
        DiarizationOptions options = DiarizationOptions.from(values::texts);
        FormValue file = values.file(AudioProblems.FIELD);
        Optional<GivenTranscript> transcript = GivenTranscript.read(values.parts(GivenTranscript.FIELD), json);
        if (transcript.isPresent() && options.format() == DiarizationOptions.Format.RTTM) {
            throw ProblemException.badField("response_format", "response_format rttm has no room for the transcript's"
                    + " text; leave it out (json) to have the transcript attributed, or leave out transcript");
        }
        DiarizationEngine engine = pipeline.engine().orElseThrow(() -> new ProblemException(
                Problem.of(503, "not-ready", "Not ready", "the diarization pod is not ready: " + pipeline.detail())));
        try {
            AudioInfo audio = pipeline.probe(file.getFileItem().getFile());
            if (transcript.orElse(null) instanceof GivenTranscript.Diarized diarized) {
                return attributedByTranscript(audio, diarized);
            }
            DiarizedRecording recording = pipeline.diarize(engine, file.getFileItem().getFile(), audio, options.speakers());
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
                    ? answer(DiarizationRttm.render(diarization, uriOf(file.getFileName())), MediaType.TEXT_PLAIN,
                            engine.name())
                    : answer(diarization, MediaType.APPLICATION_JSON, engine.name());
        } catch (IOException | UncheckedIOException e) {
            metrics.failed(engine.name(), "io");
            throw new ProblemException(Problem.of(503, "engine-failed", "Engine failed",
                    "the recording could not be diarized: " + e.getMessage()));
        }
    }

    /** A diarized_json transcript already says who spoke: it is answered as it is, without running the engine. */
    private static Response attributedByTranscript(AudioInfo audio, GivenTranscript.Diarized diarized) {
        List<AttributedSegment> segments = SpeakerAlignment.fromDiarized(diarized.transcript()).segments();
        List<SpeakerTurn> turns = segments.stream()
                .map(segment -> new SpeakerTurn(segment.speaker(), segment.start(), segment.end())).toList();
        List<String> speakers = turns.stream().map(SpeakerTurn::speaker).distinct().toList();
        return answer(new AttributedDiarization(audio.durationSeconds(), speakers, segments, OverlappedSpeech.in(turns),
                TRANSCRIPT_ENGINE), MediaType.APPLICATION_JSON, TRANSCRIPT_ENGINE);
    }

    private static Response answer(Object body, String mediaType, String engine) {
        return Response.ok(body, mediaType).header(ENGINE_HEADER, engine).build();
    }

    /**
     * The RTTM recording id: the upload's file name without its extension, each run of characters other than
     * letters, digits, dot, dash and underscore made one underscore, so it stays one RTTM token.
     */
    static String uriOf(String fileName) {
        String name = fileName == null ? "" : fileName.replaceAll(".*[/\\\\]", "");
        int dot = name.lastIndexOf('.');
        String base = (dot > 0 ? name.substring(0, dot) : name).replaceAll("[^A-Za-z0-9._-]+", "_");
        base = base.length() > 100 ? base.substring(0, 100) : base;
        return base.isEmpty() || base.equals("_") ? "recording" : base;
    }
}
