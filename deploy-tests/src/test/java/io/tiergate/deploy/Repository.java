package io.tiergate.deploy;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths in the repository, found from wherever the tests run. */
final class Repository {

    private Repository() {
    }

    /** The repository root: the nearest folder above the working directory holding {@code mvnw}. */
    static Path root() {
        Path start = Path.of("").toAbsolutePath();
        for (Path folder = start; folder != null; folder = folder.getParent()) {
            if (Files.isRegularFile(folder.resolve("mvnw"))) {
                return folder;
            }
        }
        throw new IllegalStateException("no repository root (a folder with mvnw) above " + start);
    }

    static Path chart() {
        return root().resolve("helm/tiergate");
    }

    /** One of the chart's example values files, {@code helm/tiergate/ci/<name>-values.yaml}. */
    static Path exampleValues(String name) {
        return chart().resolve("ci/" + name + "-values.yaml");
    }
}
