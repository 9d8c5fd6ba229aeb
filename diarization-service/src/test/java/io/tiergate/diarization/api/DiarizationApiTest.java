package io.tiergate.diarization.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.tiergate.audio.testing.TestAssets;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pod on its embedded engine and the real two-speaker pyannote sample (30 s), as a client calls it. */
@QuarkusTest
class DiarizationApiTest {

    private static final File SAMPLE = TestAssets.path("diarization/pyannote_sample.wav").toFile();
    private static final String PATH = "/v1/audio/diarizations";

    /**
     * Two stretches of the sample's transcript, made by hand from its STM: one segment in which Diane (12.5-14.2 s)
     * hands over to Sheila (14.4-17.8 s), and one of Sheila's alone. Words sit well inside the reference turns.
     */
    private static final String VERBOSE_JSON = """
            {"task": "transcribe", "language": "english", "duration": 30.0,
             "text": "This is Diane in New Jersey. And I'm Sheila in Texas. Well, there isn't that much difference.",
             "segments": [
               {"id": 0, "seek": 0, "start": 12.5, "end": 17.5, "text": " This is Diane in New Jersey. And I'm Sheila in Texas."},
               {"id": 1, "seek": 0, "start": 22.0, "end": 24.0, "text": " Well, there isn't that much difference."}],
             "words": [
               {"word": "This", "start": 12.6, "end": 12.8}, {"word": "is", "start": 12.8, "end": 12.9},
               {"word": "Diane", "start": 12.9, "end": 13.3}, {"word": "in", "start": 13.3, "end": 13.4},
               {"word": "New", "start": 13.4, "end": 13.6}, {"word": "Jersey", "start": 13.6, "end": 14.0},
               {"word": "And", "start": 15.0, "end": 15.2}, {"word": "I'm", "start": 15.2, "end": 15.4},
               {"word": "Sheila", "start": 15.4, "end": 15.9}, {"word": "in", "start": 15.9, "end": 16.0},
               {"word": "Texas", "start": 16.0, "end": 16.6},
               {"word": "Well", "start": 22.1, "end": 22.4}, {"word": "there", "start": 22.5, "end": 22.7},
               {"word": "isn't", "start": 22.7, "end": 23.0}, {"word": "that", "start": 23.0, "end": 23.2},
               {"word": "much", "start": 23.2, "end": 23.4}, {"word": "difference", "start": 23.4, "end": 23.9}]}
            """;

    @Test
    void aRecordingIsDiarizedAsJsonByDefault() {
        JsonPath answer = given().multiPart("file", SAMPLE, "audio/wav")
                .when().post(PATH)
                .then().statusCode(200).header(DiarizationResource.ENGINE_HEADER, "embedded")
                .extract().jsonPath();

        assertThat(answer.getDouble("duration")).isEqualTo(30.0);
        assertThat(answer.getList("speakers", String.class)).containsExactly("SPEAKER_00", "SPEAKER_01");
        assertThat(answer.getString("engine")).isEqualTo("embedded");
        assertThat(answer.getList("overlap")).isEmpty();
        List<Map<String, Object>> segments = answer.getList("segments");
        assertThat(segments).hasSizeGreaterThan(2).allSatisfy(segment -> {
            assertThat(segment).containsOnlyKeys("speaker", "start", "end");
            assertThat(((Number) segment.get("end")).doubleValue())
                    .isGreaterThan(((Number) segment.get("start")).doubleValue()).isLessThanOrEqualTo(30.0);
        });
    }

    /** A media type's name is case-insensitive (its boundary is not); curl and browsers send it in lower case, not everyone does. */
    @Test
    void aFormLabelledInUpperCaseIsReadAsAForm() throws Exception {
        ByteArrayOutputStream form = new ByteArrayOutputStream();
        form.writeBytes(("--Tiergate\r\nContent-Disposition: form-data; name=\"response_format\"\r\n\r\nrttm\r\n"
                + "--Tiergate\r\nContent-Disposition: form-data; name=\"file\"; filename=\"call.wav\"\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        form.writeBytes(Files.readAllBytes(SAMPLE.toPath()));
        form.writeBytes("\r\n--Tiergate--\r\n".getBytes(StandardCharsets.US_ASCII));

        given().contentType("MULTIPART/FORM-DATA; boundary=Tiergate").body(form.toByteArray()).when().post(PATH)
                .then().statusCode(200).body(containsString("SPEAKER call 1 "));
    }

    @Test
    void rttmHasOneLinePerTurnNamedAfterTheUpload() throws Exception {
        String rttm = given().multiPart("file", "call 7 (Diane & Sheila).wav", Files.readAllBytes(SAMPLE.toPath()),
                        "audio/wav")
                .multiPart("response_format", "rttm").multiPart("num_speakers", "2")
                .when().post(PATH)
                .then().statusCode(200).contentType(containsString("text/plain")).extract().asString();

        assertThat(rttm.lines()).hasSizeGreaterThan(2).allSatisfy(line -> assertThat(line)
                .matches("SPEAKER call_7_Diane_Sheila_ 1 \\d+\\.\\d{3} \\d+\\.\\d{3} <NA> <NA> SPEAKER_0[01] <NA> <NA>"));
        assertThat(rttm.lines().map(line -> line.split(" ")[7]).distinct()).hasSize(2);
    }

    @Test
    void aTranscriptIsSplitWhereTheSpeakerChanges() {
        JsonPath answer = given().multiPart("file", SAMPLE, "audio/wav").multiPart("transcript", VERBOSE_JSON)
                .when().post(PATH)
                .then().statusCode(200).extract().jsonPath();

        assertThat(answer.getList("speakers", String.class)).hasSize(2);
        assertThat(answer.getList("segments.text", String.class)).containsExactly("This is Diane in New Jersey.",
                "And I'm Sheila in Texas.", "Well, there isn't that much difference.");
        List<String> speakers = answer.getList("segments.speaker", String.class);
        assertThat(speakers.get(0)).isNotEqualTo(speakers.get(1));
        assertThat(speakers.get(1)).isEqualTo(speakers.get(2));
        assertThat(answer.getList("segments[0].words.word", String.class))
                .containsExactly("This", "is", "Diane", "in", "New", "Jersey");
        assertThat(answer.getList("segments[1].words.speaker", String.class)).containsOnly(speakers.get(1));
        assertThat(answer.getDouble("segments[0].start")).isEqualTo(12.5);
        assertThat(answer.getDouble("segments[1].start")).isEqualTo(15.0);
    }

    @Test
    void aDiarizedJsonTranscriptIsAnsweredWithItsOwnSpeakers() {
        String diarizedJson = """
                {"task": "transcribe", "duration": 30.0, "text": "Hello? Hello?",
                 "segments": [
                   {"type": "transcript.text.segment", "id": "seg_0", "start": 6.68, "end": 7.16, "text": " Hello?", "speaker": "A"},
                   {"type": "transcript.text.segment", "id": "seg_1", "start": 7.63, "end": 8.16, "text": " Hello?", "speaker": "B"}]}
                """;
        given().multiPart("file", SAMPLE, "audio/wav").multiPart("transcript", "diarized.json", diarizedJson.getBytes(),
                        "application/json")
                .when().post(PATH)
                .then().statusCode(200)
                .body("engine", equalTo("transcript"))
                .body("speakers", equalTo(List.of("A", "B")))
                .body("segments.text", equalTo(List.of("Hello?", "Hello?")));
    }

    @Test
    void aTranscriptRunningPastTheEndOfTheRecordingIsAnotherRecordingsAndRefused() {
        // The sample plays 30 s; engines may run a little past the end, not 10 s.
        for (String transcript : List.of(
                "{\"text\": \"hi there\", \"words\": [{\"word\": \"hi\", \"start\": 1, \"end\": 1.5},"
                        + " {\"word\": \"there\", \"start\": 40, \"end\": 41}]}",
                "{\"segments\": [{\"speaker\": \"A\", \"text\": \"hi\", \"start\": 35, \"end\": 36}]}")) {
            given().multiPart("file", SAMPLE, "audio/wav").multiPart("transcript", transcript).when().post(PATH)
                    .then().statusCode(400).body("field", equalTo("transcript"))
                    .body("detail", containsString("past the end of the recording"));
        }
        given().multiPart("file", SAMPLE, "audio/wav")
                .multiPart("transcript", "{\"text\": \"bye\", \"words\": [{\"word\": \"bye\", \"start\": 29.8, \"end\": 30.6}]}")
                .when().post(PATH).then().statusCode(200).body("segments[0].words[0].word", equalTo("bye"));
    }

    @Test
    void badFieldsAreRefusedNamingThem() {
        // Fields are read before the recording is probed: any file part serves, and a bad one would name file.
        byte[] anyFile = {1, 2, 3};
        given().multiPart("num_speakers", "2").when().post(PATH)
                .then().statusCode(400).body("field", equalTo("file"));
        given().multiPart("file", "not a file").when().post(PATH)
                .then().statusCode(400).body("field", equalTo("file"));
        for (String bad : List.of("0", "65", "two", "2.5")) {
            given().multiPart("file", "any.wav", anyFile, "audio/wav").multiPart("num_speakers", bad).when().post(PATH)
                    .then().statusCode(400).body("field", equalTo("num_speakers"));
        }
        given().multiPart("file", "any.wav", anyFile, "audio/wav").multiPart("num_speakers", "2").multiPart("max_speakers", "3")
                .when().post(PATH).then().statusCode(400).body("field", equalTo("num_speakers"));
        given().multiPart("file", "any.wav", anyFile, "audio/wav").multiPart("min_speakers", "4").multiPart("max_speakers", "3")
                .when().post(PATH).then().statusCode(400).body("field", equalTo("min_speakers"));
        given().multiPart("file", "any.wav", anyFile, "audio/wav").multiPart("max_speakers", "-1")
                .when().post(PATH).then().statusCode(400).body("field", equalTo("max_speakers"));
        given().multiPart("file", "any.wav", anyFile, "audio/wav").multiPart("response_format", "srt")
                .when().post(PATH).then().statusCode(400).body("field", equalTo("response_format"));
        given().multiPart("file", "any.wav", anyFile, "audio/wav").multiPart("response_format", "rttm")
                .multiPart("transcript", VERBOSE_JSON)
                .when().post(PATH).then().statusCode(400).body("field", equalTo("response_format"));
        for (String bad : List.of("{not json", "[]", "{}", "{\"words\": [{\"word\": \"hi\", \"start\": 2, \"end\": 1}]}",
                "{\"words\": [null]}", "{\"words\": [{\"word\": \"hi\", \"start\": \"soon\", \"end\": 1}]}",
                "{\"segments\": [{\"start\": 1, \"end\": 2, \"text\": \"hi\", \"speaker\": null}]}",
                // Times left out would be taken as 0.
                "{\"words\": [{\"word\": \"hi\", \"start\": 1, \"end\": 2}, {\"word\": \"there\"}]}",
                "{\"segments\": [{\"text\": \"hi\", \"end\": 2}]}",
                "{\"segments\": [{\"speaker\": \"A\", \"text\": \"hi\"}]}")) {
            given().multiPart("file", "any.wav", anyFile, "audio/wav").multiPart("transcript", bad).when().post(PATH)
                    .then().statusCode(400).body("field", equalTo("transcript"));
        }
        given().contentType("application/json").body("{}").when().post(PATH).then().statusCode(415)
                .body("field", equalTo("Content-Type")).body("detail", containsString("takes a form"));
        given().contentType("multipart/form-data; boundary=").body("x".getBytes()).when().post(PATH).then().statusCode(400)
                .body("field", equalTo("Content-Type"));
    }

    @Test
    void metricsCountAudioSecondsAndTheRealTimeFactorPerEngine() {
        given().multiPart("file", SAMPLE, "audio/wav").when().post(PATH).then().statusCode(200);

        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).containsPattern("tiergate_diarization_audio_seconds_total\\{engine=\"embedded\"[^}]*} [1-9]")
                .contains("tiergate_diarization_real_time_factor_count{engine=\"embedded\"");
    }

    @Test
    void readinessNamesTheEngineAndTheVadModel() {
        given().when().get("/q/health/ready")
                .then().statusCode(200)
                .body("checks.find { it.name == 'diarization-engine' }.data.engine", equalTo("embedded"))
                .body("checks.find { it.name == 'diarization-engine' }.data.vad-model", containsString("silero_vad.onnx"));
    }
}
