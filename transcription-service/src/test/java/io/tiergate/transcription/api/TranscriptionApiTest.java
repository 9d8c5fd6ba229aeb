package io.tiergate.transcription.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tiergate.audio.testing.TestAssets;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pod on its embedded engine (PocketSphinx) and real recordings, as OpenAI's clients call it. */
@QuarkusTest
class TranscriptionApiTest {

    private static final File JFK = TestAssets.path("asr/jfk.wav").toFile();

    @Test
    void aRecordingIsTranscribedAsJsonByDefault() {
        given().multiPart("file", JFK, "audio/wav").multiPart("model", "whisper-1")
                .when().post("/v1/audio/transcriptions")
                .then().statusCode(200)
                .header(TranscriptionResource.ENGINE_HEADER, "pocketsphinx")
                .body("text", containsString("country"));
    }

    @Test
    void verboseJsonHasOpenAisFieldsWithTimesInsideTheRecording() {
        JsonPath answer = given().multiPart("file", JFK, "audio/wav").multiPart("response_format", "verbose_json")
                .multiPart("timestamp_granularities[]", "word").multiPart("timestamp_granularities[]", "segment")
                .when().post("/v1/audio/transcriptions")
                .then().statusCode(200).extract().jsonPath();

        assertThat(answer.getString("task")).isEqualTo("transcribe");
        assertThat(answer.getString("language")).isEqualTo("english");
        assertThat(answer.getDouble("duration")).isEqualTo(11.0);
        List<Map<String, Object>> segments = answer.getList("segments");
        assertThat(segments).isNotEmpty().allSatisfy(segment -> {
            assertThat(segment).containsKeys("id", "seek", "start", "end", "text", "tokens", "temperature",
                    "avg_logprob", "compression_ratio", "no_speech_prob");
            assertThat(((Number) segment.get("end")).doubleValue()).isLessThanOrEqualTo(11.0);
        });
        List<Float> starts = answer.getList("words.start", Float.class);
        assertThat(starts).isNotEmpty().isSorted();
    }

    @Test
    void subtitlesComeAsSrtAndVtt() {
        given().multiPart("file", JFK, "audio/wav").multiPart("response_format", "srt")
                .when().post("/v1/audio/transcriptions")
                .then().statusCode(200).body(startsWith("1\n00:00:"));
        given().multiPart("file", JFK, "audio/wav").multiPart("response_format", "vtt")
                .when().post("/v1/audio/transcriptions")
                .then().statusCode(200).body(startsWith("WEBVTT\n\n00:00:"));
    }

    @Test
    void compressedFormatsAreDecodedToo() throws Exception {
        Path mp3 = Files.createTempFile("jfk", ".mp3");
        Process convert = new ProcessBuilder("ffmpeg", "-y", "-v", "error", "-i", JFK.getPath(), mp3.toString()).start();
        assertThat(convert.waitFor()).isZero();

        given().multiPart("file", mp3.toFile(), "audio/mpeg").multiPart("response_format", "text")
                .when().post("/v1/audio/transcriptions")
                .then().statusCode(200).body(containsString("country"));
        Files.delete(mp3);
    }

    @Test
    void badInputIsRefusedNamingTheField() {
        given().multiPart("model", "whisper-1").when().post("/v1/audio/transcriptions")
                .then().statusCode(400).body("field", equalTo("file"));
        given().multiPart("file", "not a file").when().post("/v1/audio/transcriptions")
                .then().statusCode(400).body("field", equalTo("file"));
        given().multiPart("file", "notes.wav", "these are words, not samples".getBytes(), "audio/wav")
                .when().post("/v1/audio/transcriptions")
                .then().statusCode(400).body("field", equalTo("file"));
        given().multiPart("file", JFK, "audio/wav").multiPart("response_format", "xml")
                .when().post("/v1/audio/transcriptions")
                .then().statusCode(400).body("field", equalTo("response_format"));
        given().multiPart("file", JFK, "audio/wav").multiPart("stream", "true")
                .when().post("/v1/audio/transcriptions")
                .then().statusCode(400).body("field", equalTo("stream"));
        given().contentType("application/json").body("{}").when().post("/v1/audio/transcriptions")
                .then().statusCode(415).body("field", equalTo("Content-Type")).body("detail", containsString("takes a form"));
        given().contentType("multipart/form-data; boundary=b; charset=bogus-charset").body("x".getBytes())
                .when().post("/v1/audio/transcriptions")
                .then().statusCode(400).body("field", equalTo("Content-Type"));
        given().contentType("multipart/form-data; boundary=tiergate")
                .body("--tiergate\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n\r\nRIFF".getBytes())
                .when().post("/v1/audio/transcriptions")
                .then().statusCode(400).body("type", equalTo("https://tiergate.io/problems/malformed-form")).body("field", equalTo("file"));
    }

    @Test
    void aPromptOfTheLongestLengthTakenIsTakenInAnyScript() {
        given().multiPart("file", JFK, "audio/wav").multiPart("prompt", "é".repeat(4000))
                .when().post("/v1/audio/transcriptions")
                .then().statusCode(200);
        given().multiPart("file", JFK, "audio/wav").multiPart("prompt", "é".repeat(4001))
                .when().post("/v1/audio/transcriptions")
                .then().statusCode(400).body("field", equalTo("prompt"));
    }

    @Test
    void whatTheEngineCannotDoIsRefusedSoTheRouterMovesOn() {
        given().multiPart("file", JFK, "audio/wav").when().post("/v1/audio/translations")
                .then().statusCode(422).body("type", containsString("translation-unsupported"));
        given().multiPart("file", JFK, "audio/wav").multiPart("language", "fr").when().post("/v1/audio/transcriptions")
                .then().statusCode(422).body("field", equalTo("language"));
    }

    @Test
    void metricsCountAudioSecondsChunksTheRealTimeFactorAndTimeInTheEnginePerEngine() {
        given().multiPart("file", JFK, "audio/wav").when().post("/v1/audio/transcriptions").then().statusCode(200);

        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).containsPattern("tiergate_transcription_audio_seconds_total\\{engine=\"pocketsphinx\"[^}]*} [1-9]")
                .containsPattern("tiergate_transcription_chunks_total\\{engine=\"pocketsphinx\",outcome=\"ok\"[^}]*} [1-9]")
                .contains("tiergate_transcription_real_time_factor_count{engine=\"pocketsphinx\"")
                .containsPattern("tiergate_transcription_engine_seconds_count\\{engine=\"pocketsphinx\"[^}]*} [1-9]")
                .containsPattern("tiergate_transcription_engine_seconds_sum\\{engine=\"pocketsphinx\"[^}]*} ([1-9]|0\\.0*[1-9])");
    }

    @Test
    void readinessNamesTheEngineAndItsModel() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("checks.find { it.name == 'transcription-engine' }.data.engine", equalTo("pocketsphinx"));
    }
}
