package io.tiergate.images;

import java.nio.file.Path;
import java.util.Map;

/**
 * One service's container image: what goes into it and where its OCI archive is written.
 *
 * @param reference   the image's name and tag inside the archive, e.g. {@code tiergate/router-service:0.1.0} (the
 *                    chart's {@code <pod>.image.repository} and tag; a registry is prepended when it is pushed)
 * @param fastJar     the service's Quarkus fast-jar directory, {@code target/quarkus-app}
 * @param baseArchive the base image as a {@code docker save} or OCI archive (see {@code images/build-base.sh})
 * @param port        the HTTP port the service listens on, exposed by the image
 * @param labels      OCI annotations such as {@code org.opencontainers.image.title}
 * @param output      the OCI archive to write
 */
public record ServiceImage(String reference, Path fastJar, Path baseArchive, int port, Map<String, String> labels,
        Path output) {

    public ServiceImage {
        labels = Map.copyOf(labels);
    }
}
