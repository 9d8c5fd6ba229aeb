package io.tiergate.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the repository's own {@code ./tiergate} launcher, as a person would, on shifted ports. */
final class Launcher {

    static final int PORT_OFFSET = 10_000;
    static final int ROUTER_PORT = 8080 + PORT_OFFSET;

    private final Path repo = Path.of(System.getenv().getOrDefault("TIERGATE_REPO", "..")).toAbsolutePath().normalize();
    private final Map<String, String> environment = new HashMap<>();

    Launcher(Map<String, String> overrides) {
        environment.put("TIERGATE_PORT_OFFSET", Integer.toString(PORT_OFFSET));
        environment.put("TIERGATE_RUN_DIR", repo.resolve("e2e-tests/target/e2e-run").toString());
        environment.put("TIERGATE_SKIP_BUILD", "1");
        environment.putAll(overrides);
    }

    record Result(int exitCode, String output) {}

    Result run(String command) throws IOException, InterruptedException {
        Path log = Files.createTempFile("tiergate-" + command, ".log");
        ProcessBuilder builder = new ProcessBuilder(List.of(repo.resolve("tiergate").toString(), command))
                .directory(repo.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("./tiergate " + command + " did not finish within 5 minutes");
        }
        return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
