package io.tiergate.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The Helm chart, rendered by Helm itself (helm-java's native library) and read back with the Kubernetes model. */
final class Chart {

    static final String RELEASE = "tiergate";
    /** `helm template` assumes an old Kubernetes unless told; the chart needs 1.25 or newer. */
    private static final String KUBE_VERSION = "1.31.0";

    private static final Map<String, String> RENDERED = new ConcurrentHashMap<>();
    private static final Map<String, Rendered> READ = new ConcurrentHashMap<>();

    private Chart() {
    }

    static LintResult lint() {
        return new Helm(Repository.chart()).lint().strict().call();
    }

    /**
     * The chart's output for the given values files and {@code key=value} settings (as {@code --set}); the same
     * arguments are rendered once per test run.
     */
    static String template(List<Path> valuesFiles, Map<String, String> settings) {
        return RENDERED.computeIfAbsent(valuesFiles + " " + settings, key -> {
            TemplateCommand command = new Helm(Repository.chart()).template()
                    .withName(RELEASE)
                    .withNamespace(RELEASE)
                    .withKubeVersion(KUBE_VERSION);
            for (Path file : valuesFiles) {
                command = command.withValuesFile(file);
            }
            for (Map.Entry<String, String> setting : settings.entrySet()) {
                command = command.set(setting.getKey(), setting.getValue());
            }
            return command.call();
        });
    }

    /** The objects rendered for the given example values files ({@code helm/tiergate/ci/<name>-values.yaml}). */
    static Rendered render(String... exampleValues) {
        List<Path> files = Arrays.stream(exampleValues).map(Repository::exampleValues).toList();
        return read(template(files, Map.of()));
    }

    static Rendered render(Map<String, String> settings) {
        return read(template(List.of(), settings));
    }

    static Rendered read(String manifests) {
        return READ.computeIfAbsent(manifests, yaml -> new Rendered(StrictManifests.read(yaml)));
    }

    /** The objects of one rendering. */
    record Rendered(List<HasMetadata> objects) {

        <T extends HasMetadata> List<T> all(Class<T> type) {
            return objects.stream().filter(type::isInstance).map(type::cast).toList();
        }

        <T extends HasMetadata> Optional<T> find(Class<T> type, String name) {
            return all(type).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst();
        }

        <T extends HasMetadata> T get(Class<T> type, String name) {
            return find(type, name).orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " " + name));
        }

        Deployment deployment(String component) {
            return get(Deployment.class, RELEASE + "-" + component);
        }

        /** The shared Tiergate YAML the services read, as the ConfigMap holds it. */
        String sharedConfig() {
            return get(ConfigMap.class, RELEASE + "-config").getData().get("application.yaml");
        }
    }
}
