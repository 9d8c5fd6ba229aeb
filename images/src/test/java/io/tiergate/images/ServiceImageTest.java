package io.tiergate.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Reads the images images/build.sh writes back from their OCI archives and checks what the Helm chart relies on: the
 * fast-jar started from the chart's working directory, user 185, the service's port, the OCI labels; and for the pods
 * that decode audio, ffmpeg and PocketSphinx in the base.
 *
 * <p>The usage tracker's image, the smallest (on the JRE-only base), is built here when its fast-jar and the base
 * archive are there; CI builds that base first (.ci/run) and sets {@code TIERGATE_IMAGES_REQUIRED=1} so a missing
 * piece fails instead of skipping. The other services' images are checked when images/build.sh built them.
 */
class ServiceImageTest {

    private static final Path ROOT = repositoryRoot();
    private static final Path IMAGES = ROOT.resolve("target/images");
    private static final boolean REQUIRED = "1".equals(System.getenv("TIERGATE_IMAGES_REQUIRED"));
    /** The services whose base is the `media` one, with ffmpeg and PocketSphinx. */
    private static final List<String> MEDIA_SERVICES = List.of("router-service", "transcription-service",
            "diarization-service");

    @Test
    void usageTrackerImageRunsItsFastJarAsUser185OnItsPort() throws Exception {
        boolean packaged = Files.isRegularFile(ROOT.resolve("usage-tracker/target/quarkus-app/quarkus-run.jar"));
        boolean baseBuilt = Files.isRegularFile(IMAGES.resolve("base-jre.tar"));
        if (!REQUIRED) {
            assumeTrue(packaged, "usage-tracker is not packaged (run verify, or set TIERGATE_IMAGES_REQUIRED=1)");
            assumeTrue(baseBuilt, "no JRE base: images/build-base.sh jre target/images/base-jre.tar");
        }
        // The reactor has just packaged the usage tracker and this module: the script only containerizes.
        Path log = ROOT.resolve("images/target/build-usage-tracker.log");
        ProcessBuilder build = new ProcessBuilder(ROOT.resolve("images/build.sh").toString(), "usage-tracker")
                .directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        build.environment().put("TIERGATE_SKIP_BUILD", "1");
        int exitCode = build.start().waitFor();
        assertThat(exitCode).as(() -> "images/build.sh usage-tracker:\n" + readQuietly(log)).isZero();

        assertServiceImage("usage-tracker", OciArchive.read(IMAGES.resolve("usage-tracker.tar")));
    }

    @TestFactory
    Stream<DynamicTest> everyBuiltServiceImage() throws IOException {
        List<Path> archives = new ArrayList<>();
        if (Files.isDirectory(IMAGES)) {
            try (Stream<Path> files = Files.list(IMAGES)) {
                files.filter(file -> file.getFileName().toString().endsWith("-service.tar")).sorted()
                        .forEach(archives::add);
            }
        }
        return archives.stream().map(archive -> DynamicTest.dynamicTest(archive.getFileName().toString(), () -> {
            String module = archive.getFileName().toString().replaceFirst("\\.tar$", "");
            OciArchive image = OciArchive.read(archive);
            assertServiceImage(module, image);
            if (MEDIA_SERVICES.contains(module)) {
                assertHolds(image.layers().get(0), "the media base of " + module, "usr/bin/ffmpeg", "usr/bin/ffprobe",
                        "usr/lib/x86_64-linux-gnu/libpocketsphinx.so.3", "usr/lib/x86_64-linux-gnu/libsphinxbase.so.3",
                        "usr/share/pocketsphinx/model/en-us/en-us.lm.bin");
            }
        }));
    }

    private static void assertServiceImage(String module, OciArchive image) throws IOException {
        String workingDir = valuesKey("workingDir");
        JsonNode config = image.config();
        assertThat(image.reference()).isEqualTo("tiergate/" + module + ":" + chartAppVersion());
        assertThat(config.path("Entrypoint")).extracting(JsonNode::asText)
                .containsExactly("java", "-Djava.util.logging.manager=org.jboss.logmanager.LogManager", "-jar",
                        workingDir + "/quarkus-run.jar");
        assertThat(config.path("WorkingDir").asText()).isEqualTo(workingDir);
        assertThat(config.path("User").asText()).isEqualTo(valuesKey("runAsUser")).isNotEqualTo("0");
        assertThat(image.passwd()).contains(":x:185:185:");
        assertThat(fieldNames(config.path("ExposedPorts"))).containsExactly(httpPort(module) + "/tcp");
        JsonNode labels = config.path("Labels");
        assertThat(labels.path("org.opencontainers.image.title").asText()).isEqualTo(module);
        assertThat(labels.path("org.opencontainers.image.version").asText()).isEqualTo(chartAppVersion());
        assertThat(labels.path("org.opencontainers.image.licenses").asText()).isNotBlank();
        assertThat(labels.path("org.opencontainers.image.revision").asText()).matches("[0-9a-f]{40}");

        String appRoot = workingDir.substring(1);
        assertHolds(image.layers().get(0), "the base", "usr/bin/java", "etc/passwd");
        Set<String> applicationLayer = image.layers().get(image.layers().size() - 1);
        assertHolds(applicationLayer, "the application layer", appRoot + "/quarkus-run.jar",
                appRoot + "/quarkus/quarkus-application.dat");
        assertThat(applicationLayer).as("the application layer")
                .anyMatch(path -> path.startsWith(appRoot + "/app/") && path.endsWith(".jar"));
        assertThat(image.contains(appRoot + "/lib/boot/io.quarkus.quarkus-bootstrap-runner-3.27.2.jar")).isTrue();
        assertThat(image.layers()).as("Tiergate's own modules in a layer of their own")
                .anyMatch(paths -> paths.stream().anyMatch(path -> path.startsWith(appRoot + "/lib/main/io.tiergate."))
                        && paths.stream().noneMatch(path -> path.startsWith(appRoot + "/lib/main/io.quarkus.")));
    }

    /** Names only what is missing: a layer lists tens of thousands of paths. */
    private static void assertHolds(Set<String> layer, String what, String... paths) {
        assertThat(Stream.of(paths).filter(path -> !layer.contains(path)).toList()).as("missing from " + what).isEmpty();
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** quarkus.http.port from the service's application.yaml. */
    private static String httpPort(String module) throws IOException {
        String yaml = Files.readString(ROOT.resolve(module).resolve("src/main/resources/application.yaml"));
        return group(Pattern.compile("(?m)^\\s+http:\\s*\\n\\s+port:\\s*(\\d+)").matcher(yaml), module + " http port");
    }

    /** A top-level or nested scalar of the chart's values.yaml, by its (unique) key. */
    private static String valuesKey(String key) throws IOException {
        String values = Files.readString(ROOT.resolve("helm/tiergate/values.yaml"));
        return group(Pattern.compile("(?m)^\\s*" + key + ":\\s*([^\\s#]+)").matcher(values), key);
    }

    private static String chartAppVersion() throws IOException {
        String chart = Files.readString(ROOT.resolve("helm/tiergate/Chart.yaml"));
        return group(Pattern.compile("(?m)^appVersion:\\s*\"?([^\"\\s]+)").matcher(chart), "appVersion");
    }

    private static String group(Matcher matcher, String what) {
        assertThat(matcher.find()).as(what).isTrue();
        return matcher.group(1);
    }

    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("mvnw"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no mvnw above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
