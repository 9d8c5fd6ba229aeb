package io.tiergate.images;

import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Port;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Puts a Quarkus fast-jar on a base image and writes the result as an OCI archive, with no Docker daemon and no
 * registry: the base is read from a local archive and nothing is pulled or pushed.
 *
 * <p>The layout is what the Helm chart expects: the fast-jar in {@code /home/jboss}, the chart's working directory,
 * where the ConfigMap is mounted as {@code config/application.yaml}; user 185, the chart's {@code runAsUser}. Layers
 * go from the least to the most often changed (third-party libraries, Tiergate's own modules, the application) so a
 * code change re-ships only the last ones.
 */
public final class ServiceImageBuilder {

    /** Where the fast-jar lives and the process starts: the chart's {@code workingDir}. */
    public static final AbsoluteUnixPath WORKING_DIRECTORY = AbsoluteUnixPath.get("/home/jboss");

    /** The non-root user the images run as, the chart's {@code runAsUser}. */
    public static final String USER = "185";

    /** Tiergate's own modules are in lib/main with their group id in front, as Quarkus names dependency jars. */
    private static final Predicate<Path> TIERGATE_MODULE = jar -> jar.getFileName().toString().startsWith("io.tiergate.");

    private ServiceImageBuilder() {
    }

    /**
     * Builds {@code image} into its output archive.
     *
     * @param cacheDirectory Jib's layer cache, kept between builds so an unchanged base or library layer is not
     *                       compressed again
     */
    public static JibContainer build(ServiceImage image, Path cacheDirectory) throws IOException, InterruptedException {
        Path fastJar = image.fastJar();
        if (!Files.isRegularFile(fastJar.resolve("quarkus-run.jar"))) {
            throw new IllegalArgumentException(fastJar + " holds no quarkus-run.jar: package the service first");
        }
        if (!Files.isRegularFile(image.baseArchive())) {
            throw new IllegalArgumentException("no base image archive at " + image.baseArchive()
                    + ": build it with images/build-base.sh");
        }
        Path libraries = fastJar.resolve("lib/main");
        try {
            Files.createDirectories(image.output().toAbsolutePath().getParent());
            return Jib.from(TarImage.at(image.baseArchive()))
                    .setFormat(ImageFormat.OCI)
                    .setFileEntriesLayers(List.of(
                            directoryLayer("boot libraries", fastJar, "lib/boot", jar -> true),
                            directoryLayer("libraries", fastJar, "lib/main", TIERGATE_MODULE.negate()),
                            directoryLayer("tiergate modules", fastJar, "lib/main", TIERGATE_MODULE),
                            applicationLayer(fastJar)))
                    // The JBoss log manager from the start, as Quarkus' own launch scripts do, so JUL goes through it.
                    .setEntrypoint("java", "-Djava.util.logging.manager=org.jboss.logmanager.LogManager", "-jar",
                            WORKING_DIRECTORY.resolve("quarkus-run.jar").toString())
                    .setWorkingDirectory(WORKING_DIRECTORY)
                    .setUser(USER)
                    .setExposedPorts(Port.tcp(image.port()))
                    .setLabels(new LinkedHashMap<>(image.labels()))
                    .containerize(Containerizer.to(TarImage.at(image.output()).named(image.reference()))
                            .setBaseImageLayersCache(cacheDirectory.resolve("base"))
                            .setApplicationLayersCache(cacheDirectory.resolve("application"))
                            .setToolName("tiergate-images"));
        } catch (InvalidImageReferenceException e) {
            throw new IllegalArgumentException("not an image reference: " + image.reference(), e);
        } catch (ExecutionException | RegistryException | CacheDirectoryCreationException e) {
            throw new IOException("could not build " + image.reference() + ": " + e.getMessage(), e);
        }
    }

    private static FileEntriesLayer directoryLayer(String name, Path fastJar, String directory, Predicate<Path> jars)
            throws IOException {
        FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName(name);
        try (Stream<Path> files = Files.list(fastJar.resolve(directory))) {
            files.filter(jars).sorted().forEach(jar -> layer.addEntry(jar,
                    WORKING_DIRECTORY.resolve(directory).resolve(jar.getFileName().toString())));
        }
        return layer.build();
    }

    /** The launcher, Quarkus' generated classes and the service's own jar: what every build changes. */
    private static FileEntriesLayer applicationLayer(Path fastJar) throws IOException {
        FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName("application")
                .addEntry(fastJar.resolve("quarkus-run.jar"), WORKING_DIRECTORY.resolve("quarkus-run.jar"));
        for (String directory : List.of("app", "quarkus")) {
            layer.addEntryRecursive(fastJar.resolve(directory), WORKING_DIRECTORY.resolve(directory));
        }
        return layer.build();
    }

    /**
     * {@code java io.tiergate.images.ServiceImageBuilder key=value...} with the keys {@code reference}, {@code fast-jar},
     * {@code base}, {@code port}, {@code output}, {@code cache} and any number of {@code label.<name>}; see
     * {@code images/build.sh}.
     */
    public static void main(String[] args) throws IOException, InterruptedException {
        Map<String, String> options = new LinkedHashMap<>();
        Map<String, String> labels = new LinkedHashMap<>();
        for (String arg : args) {
            int equals = arg.indexOf('=');
            if (equals < 1) {
                throw new IllegalArgumentException("expected key=value, got: " + arg);
            }
            String key = arg.substring(0, equals);
            String value = arg.substring(equals + 1);
            if (key.startsWith("label.")) {
                labels.put(key.substring("label.".length()), value);
            } else {
                options.put(key, value);
            }
        }
        ServiceImage image = new ServiceImage(required(options, "reference"), Path.of(required(options, "fast-jar")),
                Path.of(required(options, "base")), Integer.parseInt(required(options, "port")), labels,
                Path.of(required(options, "output")));
        JibContainer built = build(image, Path.of(required(options, "cache")));
        System.out.println(image.reference() + " " + built.getDigest() + " -> " + image.output());
    }

    private static String required(Map<String, String> options, String key) {
        String value = options.get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing " + key + "=...");
        }
        return value;
    }
}
