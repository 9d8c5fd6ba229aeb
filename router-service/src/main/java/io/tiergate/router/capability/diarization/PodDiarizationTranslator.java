package io.tiergate.router.capability.diarization;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.tiergate.common.diarization.DiarizationOptions;
import io.tiergate.quota.UsageAmount;
import io.tiergate.router.capability.audio.AudioRequest;
import io.tiergate.router.capability.audio.AudioUploads;
import io.tiergate.router.config.Protocol;
import io.tiergate.router.dispatch.RequestBody;
import io.tiergate.router.dispatch.UpstreamRequest;
import io.tiergate.router.providers.Backend;
import io.tiergate.router.providers.Provider;
import io.tiergate.router.routing.Candidate;
import io.tiergate.router.translation.Translator;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.Optional;

/**
 * Diarizations to Tiergate's diarization pod, which serves this very API: the caller's form goes to
 * {@code {base-url}/audio/diarizations} unchanged, every field in its place (the pod reads no {@code model}), the
 * recording's and transcript's bytes as they arrived; the answer comes back as the pod wrote it.
 */
@Singleton
public class PodDiarizationTranslator implements Translator<AudioRequest<DiarizationOptions>> {

    private final ObjectMapper mapper;

    public PodDiarizationTranslator(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public String capability() {
        return DiarizationCapability.NAME;
    }

    @Override
    public boolean speaks(Protocol protocol) {
        return protocol == Protocol.POD;
    }

    @Override
    public Optional<String> cannotServe(AudioRequest<DiarizationOptions> request, Provider provider) {
        return AudioUploads.overLimits(request, provider);
    }

    @Override
    public UpstreamRequest request(AudioRequest<DiarizationOptions> request, Candidate candidate, Backend backend) {
        RequestBody form = AudioUploads.form(request, Optional.empty());
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().add(HttpHeaderNames.CONTENT_TYPE, form.contentType());
        backend.apiKey().ifPresent(key -> headers.add(HttpHeaderNames.AUTHORIZATION, "Bearer " + key));
        return new UpstreamRequest(candidate.provider().config().baseUrl() + "/audio/diarizations", headers, form, false,
                candidate.provider().timeout());
    }

    /** The {@code duration} of a JSON answer; an RTTM answer does not say, so the probed length is committed. */
    @Override
    public Optional<UsageAmount> reportedUsage(Buffer upstreamBody) {
        try {
            JsonNode answer = upstreamBody == null || upstreamBody.length() == 0 ? null : mapper.readTree(upstreamBody.getBytes());
            return answer == null ? Optional.empty() : AudioUploads.reportedSeconds(answer);
        } catch (IOException rttm) {
            return Optional.empty();
        }
    }
}
