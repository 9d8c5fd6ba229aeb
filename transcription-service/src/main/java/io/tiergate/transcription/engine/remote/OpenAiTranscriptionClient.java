package io.tiergate.transcription.engine.remote;

import io.smallrye.mutiny.Uni;
import io.tiergate.common.transcription.Transcript;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.client.api.ClientMultipartForm;

/**
 * An OpenAI-compatible transcription server's audio API, as speaches, vLLM and whisper.cpp's server serve it. Answers are
 * awaited with a deadline for the whole call: the client's read timeout alone lets a server trickling its answer hold a
 * chunk for as long as it keeps sending.
 */
@Path("/v1/audio")
public interface OpenAiTranscriptionClient {

    @POST
    @Path("/transcriptions")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Transcript> transcribe(@HeaderParam("Authorization") String authorization, ClientMultipartForm form);

    @POST
    @Path("/translations")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Transcript> translate(@HeaderParam("Authorization") String authorization, ClientMultipartForm form);
}
