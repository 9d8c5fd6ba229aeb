package io.tiergate.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The chart rendered by Helm for the default values and the example values files, read back strictly. */
class ChartTest {

    private static final List<String> SERVICES = List.of("router", "usage-tracker", "classification", "transcription",
            "diarization");
    private static final List<String> MODEL_PODS = List.of("classification", "transcription", "diarization");
    private static final Pattern KEY_LIKE = Pattern.compile("(?i).*(KEY|TOKEN|PASSWORD|SECRET|AUTH).*");

    /** A pod template of each workload (Deployments and the bundled Redis) of one rendering, by object name. */
    private static Map<String, PodSpec> pods(Chart.Rendered rendered) {
        Map<String, PodSpec> pods = new TreeMap<>();
        rendered.all(Deployment.class).forEach(d -> pods.put(d.getMetadata().getName(), d.getSpec().getTemplate().getSpec()));
        rendered.all(StatefulSet.class).forEach(s -> pods.put(s.getMetadata().getName(), s.getSpec().getTemplate().getSpec()));
        return pods;
    }

    static Stream<String> valuesFiles() {
        return Stream.of("default", "gpu", "multi-account", "external-redis");
    }

    private static Chart.Rendered render(String valuesFile) {
        return valuesFile.equals("default") ? Chart.render() : Chart.render(valuesFile);
    }

    @Test
    void helmLintFindsNothing() {
        LintResult result = Chart.lint();
        assertThat(result.isFailed()).as("%s", result.getMessages()).isFalse();
        assertThat(result.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
    }

    @ParameterizedTest
    @MethodSource("valuesFiles")
    void everyServiceIsDeployedWithAServiceAndProbesOnEveryContainer(String valuesFile) {
        Chart.Rendered rendered = render(valuesFile);
        for (String service : SERVICES) {
            Deployment deployment = rendered.deployment(service);
            assertThat(rendered.find(Service.class, Chart.RELEASE + "-" + service)).isPresent();
            assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations()).containsKey("checksum/config");
        }
        pods(rendered).forEach((name, pod) -> {
            for (Container container : pod.getContainers()) {
                String where = name + "/" + container.getName();
                if (!name.endsWith("-redis")) {
                    // Quarkus reads config/application.yaml below its working directory: the shared ConfigMap is there.
                    String configVolume = container.getVolumeMounts().stream()
                            .filter(m -> m.getMountPath().equals(container.getWorkingDir() + "/config")).findFirst()
                            .orElseThrow(() -> new AssertionError(where + " has no config/ in its working directory")).getName();
                    assertThat(pod.getVolumes()).as(where).anyMatch(v -> v.getName().equals(configVolume)
                            && v.getConfigMap() != null && v.getConfigMap().getName().equals(Chart.RELEASE + "-config"));
                }
                assertThat(container.getLivenessProbe()).as(where + " liveness").isNotNull();
                assertThat(container.getReadinessProbe()).as(where + " readiness").isNotNull();
                if (!name.endsWith("-redis")) {
                    assertThat(container.getLivenessProbe().getHttpGet().getPath()).as(where).isEqualTo("/q/health/live");
                    assertThat(container.getReadinessProbe().getHttpGet().getPath()).as(where).isEqualTo("/q/health/ready");
                }
            }
        });
        for (String modelPod : MODEL_PODS) {
            Container container = rendered.deployment(modelPod).getSpec().getTemplate().getSpec().getContainers().get(0);
            assertThat(container.getStartupProbe()).as(modelPod + " loads models: a start-up probe").isNotNull();
            assertThat(container.getVolumeMounts()).anyMatch(m -> m.getName().equals("models") && m.getReadOnly());
        }
        for (String speechPod : List.of("transcription", "diarization")) {
            Container container = rendered.deployment(speechPod).getSpec().getTemplate().getSpec().getContainers().get(0);
            assertThat(container.getEnv()).as(speechPod + " cuts at pauses its VAD model finds in the models volume")
                    .anyMatch(env -> env.getName().equals("TIERGATE_" + speechPod.toUpperCase(Locale.ROOT) + "_VAD_MODEL")
                            && env.getValue().equals("/models/silero_vad.onnx"));
        }
    }

    @ParameterizedTest
    @MethodSource("valuesFiles")
    void everyPodRunsAsNonRootOnAReadOnlyRootWithAWritableTmp(String valuesFile) {
        pods(render(valuesFile)).forEach((name, pod) -> {
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).as(name).isTrue();
            assertThat(pod.getSecurityContext().getRunAsUser()).as(name).isPositive();
            assertThat(pod.getAutomountServiceAccountToken()).as(name).isFalse();
            for (Container container : pod.getContainers()) {
                String where = name + "/" + container.getName();
                assertThat(container.getSecurityContext().getRunAsNonRoot()).as(where).isTrue();
                assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).as(where).isTrue();
                assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).as(where).isFalse();
                assertThat(container.getSecurityContext().getCapabilities().getDrop()).as(where).contains("ALL");
                if (!name.endsWith("-redis")) {
                    String tmpVolume = container.getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/tmp"))
                            .findFirst().orElseThrow(() -> new AssertionError(where + " has no writable /tmp")).getName();
                    assertThat(pod.getVolumes()).as(where).anyMatch(v -> v.getName().equals(tmpVolume) && v.getEmptyDir() != null);
                }
            }
        });
    }

    @ParameterizedTest
    @MethodSource("valuesFiles")
    void keysReachContainersOnlyThroughSecretKeyRefs(String valuesFile) {
        Chart.Rendered rendered = render(valuesFile);
        List<String> keyVariables = new ArrayList<>(SharedConfig.apiKeyVariables(rendered.sharedConfig()));
        pods(rendered).forEach((name, pod) -> {
            for (Container container : pod.getContainers()) {
                for (EnvVar env : Objects.requireNonNullElse(container.getEnv(), List.<EnvVar>of())) {
                    if (keyVariables.contains(env.getName()) || KEY_LIKE.matcher(env.getName()).matches()) {
                        String where = name + "/" + container.getName() + " " + env.getName();
                        assertThat(env.getValue()).as(where + " must not carry a literal value").isNull();
                        assertThat(env.getValueFrom().getSecretKeyRef()).as(where + " from a Secret").isNotNull();
                    }
                }
            }
        });
        assertThat(rendered.sharedConfig()).doesNotContain("existingSecret", "apiKey", "gsk_test_not_a_real_key");
    }

    @Test
    void eachAccountsKeyIsOneVariableOfTheRouterFromItsSecret() {
        Chart.Rendered rendered = Chart.render("multi-account");
        List<EnvVar> env = rendered.deployment("router").getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
        Map<String, String> secretOf = new HashMap<>();
        for (EnvVar variable : env) {
            if (variable.getValueFrom() != null && variable.getValueFrom().getSecretKeyRef() != null) {
                assertThat(secretOf.put(variable.getName(), variable.getValueFrom().getSecretKeyRef().getName()))
                        .as("%s is set once", variable.getName()).isNull();
            }
        }
        assertThat(secretOf).containsEntry("GROQ_API_KEY", "groq-org-a").containsEntry("GROQ_API_KEY_2", "groq-org-b")
                .containsEntry("GROQ_API_KEY_3", "tiergate-api-keys").containsEntry("OPENAI_API_KEY", "openai")
                .containsEntry("TIERGATE_ROUTER_ADMIN_TOKEN", "tiergate-admin");
        Secret chartSecret = rendered.get(Secret.class, "tiergate-api-keys");
        assertThat(new String(Base64.getDecoder().decode(chartSecret.getData().get("GROQ_API_KEY_3"))))
                .isEqualTo("gsk_test_not_a_real_key");
        assertThat(rendered.deployment("router").getSpec().getTemplate().getMetadata().getAnnotations())
                .containsKey("checksum/api-keys");
        // The default install has no key anywhere: no Secret of keys, no key variable.
        assertThat(Chart.render().all(Secret.class)).isEmpty();
    }

    @Test
    void gpuSettingsOnlyOnThePodsOfAGpuPool() {
        Map<String, PodSpec> gpu = pods(Chart.render("gpu"));
        assertThat(gpu.get("tiergate-transcription").getContainers().get(0).getResources().getLimits())
                .containsEntry("nvidia.com/gpu", new Quantity("1"));
        assertThat(gpu.get("tiergate-classification").getContainers().get(0).getResources().getLimits())
                .containsEntry("nvidia.com/gpu", new Quantity("1"));
        assertThat(gpu.get("tiergate-diarization").getContainers().get(0).getResources().getLimits())
                .containsEntry("nvidia.com/mig-1g.10gb", new Quantity("1")).doesNotContainKey("nvidia.com/gpu");
        for (String modelPod : MODEL_PODS) {
            PodSpec pod = gpu.get("tiergate-" + modelPod);
            assertThat(pod.getRuntimeClassName()).as(modelPod).isEqualTo("nvidia");
            assertThat(pod.getTolerations()).as(modelPod).anyMatch(t -> "nvidia.com/gpu".equals(t.getKey()));
            assertThat(pod.getNodeSelector()).as(modelPod).isNotEmpty();
            assertThat(pod.getContainers().get(0).getImage()).as(modelPod).endsWith(":0.1.0-cuda");
        }
        assertThat(gpu.get("tiergate-transcription").getPriorityClassName()).isEqualTo("tiergate-gpu");
        assertThat(gpu.get("tiergate-diarization").getAffinity().getNodeAffinity()).isNotNull();
        for (String cpuPod : List.of("tiergate-router", "tiergate-usage-tracker", "tiergate-redis")) {
            assertNoGpu(cpuPod, gpu.get(cpuPod));
        }
        pods(Chart.render()).forEach(ChartTest::assertNoGpu);
    }

    private static void assertNoGpu(String name, PodSpec pod) {
        assertThat(pod.getRuntimeClassName()).as(name).isNull();
        assertThat(Objects.requireNonNullElse(pod.getTolerations(), List.of())).as(name).isEmpty();
        assertThat(Objects.requireNonNullElse(pod.getNodeSelector(), Map.of())).as(name).isEmpty();
        for (Container container : pod.getContainers()) {
            Map<String, Quantity> limits = Objects.requireNonNullElse(container.getResources().getLimits(), Map.of());
            assertThat(limits.keySet()).as(name).noneMatch(resource -> resource.startsWith("nvidia.com/"));
        }
    }

    @Test
    void aChangedConfigurationRollsThePods() {
        String before = checksum(Chart.render());
        String after = checksum(Chart.render(Map.of("config.router.budget.allow-paid", "true")));
        assertThat(after).isNotEqualTo(before);
    }

    private static String checksum(Chart.Rendered rendered) {
        return rendered.deployment("router").getSpec().getTemplate().getMetadata().getAnnotations().get("checksum/config");
    }

    @Test
    void redisIsBundledWithAnAppendOnlyFileOnAVolumeByDefault() {
        Chart.Rendered rendered = Chart.render();
        StatefulSet redis = rendered.get(StatefulSet.class, "tiergate-redis");
        assertThat(redis.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
                .containsSequence("--appendonly", "yes").contains("/data");
        assertThat(redis.getSpec().getVolumeClaimTemplates()).hasSize(1);
        assertThat(env(rendered.deployment("router"))).containsEntry("QUARKUS_REDIS_HOSTS", "redis://tiergate-redis:6379");
    }

    @Test
    void anExternalSentinelReplacesTheBundledRedisWithItsPasswordFromASecret() {
        Chart.Rendered rendered = Chart.render("external-redis");
        assertThat(rendered.all(StatefulSet.class)).isEmpty();
        for (String service : List.of("router", "usage-tracker")) {
            Deployment deployment = rendered.deployment(service);
            assertThat(env(deployment)).containsEntry("QUARKUS_REDIS_CLIENT_TYPE", "sentinel")
                    .containsEntry("QUARKUS_REDIS_MASTER_NAME", "mymaster")
                    .containsEntry("QUARKUS_REDIS_HOSTS", "redis://redis-sentinel-0.redis-sentinel:26379,"
                            + "redis://redis-sentinel-1.redis-sentinel:26379,redis://redis-sentinel-2.redis-sentinel:26379");
            EnvVar password = deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                    .filter(e -> e.getName().equals("QUARKUS_REDIS_PASSWORD")).findFirst().orElseThrow();
            assertThat(password.getValueFrom().getSecretKeyRef().getName()).isEqualTo("tiergate-redis");
        }
        assertThat(env(rendered.deployment("classification"))).doesNotContainKey("QUARKUS_REDIS_HOSTS");
    }

    private static Map<String, String> env(Deployment deployment) {
        Map<String, String> values = new HashMap<>();
        deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .filter(e -> e.getValue() != null).forEach(e -> values.put(e.getName(), e.getValue()));
        return values;
    }

    @Test
    void onlyTheRouterReachesThePodsAndTheTrackerAndOnlyTheyReachRedis() {
        Chart.Rendered rendered = Chart.render();
        for (String reachedOnlyByRouter : List.of("usage-tracker", "classification", "transcription", "diarization")) {
            assertThat(peers(rendered, reachedOnlyByRouter)).as(reachedOnlyByRouter).containsExactly("router");
        }
        assertThat(peers(rendered, "redis")).containsExactlyInAnyOrder("router", "usage-tracker");
        NetworkPolicy router = rendered.get(NetworkPolicy.class, "tiergate-router");
        assertThat(router.getSpec().getIngress()).singleElement().satisfies(rule -> assertThat(rule.getFrom()).isNullOrEmpty());
        assertThat(router.getSpec().getEgress()).anyMatch(rule -> (rule.getTo() == null || rule.getTo().isEmpty())
                && rule.getPorts().stream().anyMatch(p -> Integer.valueOf(443).equals(p.getPort().getIntVal())));
        NetworkPolicy pod = rendered.get(NetworkPolicy.class, "tiergate-transcription");
        assertThat(pod.getSpec().getEgress()).noneMatch(rule -> rule.getPorts().stream()
                .anyMatch(p -> Integer.valueOf(443).equals(p.getPort().getIntVal())));
    }

    /** The components whose pods a NetworkPolicy lets in. */
    private static List<String> peers(Chart.Rendered rendered, String component) {
        NetworkPolicy policy = rendered.get(NetworkPolicy.class, "tiergate-" + component);
        assertThat(policy.getSpec().getPolicyTypes()).contains("Ingress", "Egress");
        return policy.getSpec().getIngress().stream().flatMap(rule -> rule.getFrom().stream())
                .map(NetworkPolicyPeer::getPodSelector)
                .map(selector -> selector.getMatchLabels().get("app.kubernetes.io/component")).toList();
    }

    @Test
    void routerAndTrackerScaleOnCpuAndEveryServiceHasADisruptionBudget() {
        Chart.Rendered rendered = Chart.render();
        assertThat(rendered.all(HorizontalPodAutoscaler.class)).extracting(h -> h.getSpec().getScaleTargetRef().getName())
                .containsExactlyInAnyOrder("tiergate-router", "tiergate-usage-tracker");
        assertThat(rendered.deployment("router").getSpec().getReplicas()).as("the HPA owns the replica count").isNull();
        assertThat(rendered.all(PodDisruptionBudget.class)).hasSize(SERVICES.size());
        assertThat(rendered.all(GenericKubernetesResource.class)).as("KEDA and the ServiceMonitor are off by default").isEmpty();

        Chart.Rendered scaled = Chart.render(Map.of("transcription.keda.enabled", "true",
                "metrics.serviceMonitor.enabled", "true"));
        assertThat(scaled.all(GenericKubernetesResource.class)).extracting(GenericKubernetesResource::getKind)
                .containsExactlyInAnyOrder("ScaledObject", "ServiceMonitor");
        assertThat(scaled.deployment("transcription").getSpec().getReplicas()).as("KEDA owns the replica count").isNull();
    }

    @Test
    void theDashboardIsValidJsonForGrafanasSidecar() throws Exception {
        ConfigMap dashboard = Chart.render().get(ConfigMap.class, "tiergate-dashboard");
        assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        JsonNode json = new ObjectMapper().readTree(dashboard.getData().get("tiergate.json"));
        assertThat(json.path("panels")).hasSizeGreaterThanOrEqualTo(8);
        String queries = json.path("panels").findValuesAsText("expr").toString();
        assertThat(queries).contains("tiergate_requests_total", "tiergate_attempts_total", "tiergate_fallbacks_total",
                "tiergate_breaker_state", "tiergate_quota_used", "tiergate_quota_limit",
                "tiergate_transcription_audio_seconds_total", "tiergate_transcription_real_time_factor");
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of("router.replicas", "two", "/router/replicas"),
                Arguments.of("redis.mode", "cloud", "/redis/mode"),
                Arguments.of("providers.groq.protocol", "grpc", "/providers/groq/protocol"),
                Arguments.of("providers.groq.base-url", "api.groq.com", "/providers/groq/base-url"),
                Arguments.of("providers.groq.tiers[0]", "huge", "/providers/groq/tiers/0"),
                Arguments.of("providers.groq.accounts.org-a.limits.requests.per-day", "-3",
                        "/providers/groq/accounts/org-a/limits/requests/per-day"),
                Arguments.of("providers.groq.accounts.org-a.api-key-env", "groq-key", "/providers/groq/accounts/org-a/api-key-env"),
                Arguments.of("providers.groq.prioirty", "3", "/providers/groq"),
                Arguments.of("transcription.gpu.count", "0", "/transcription/gpu/count"),
                Arguments.of("diarization.engine", "whisper", "/diarization/engine"),
                Arguments.of("diarization.onnx.model", "../etc/passwd", "/diarization/onnx/model"),
                Arguments.of("diarization.overlap.model", "/etc/passwd", "/diarization/overlap/model"),
                Arguments.of("podSecurityContext.runAsNonRoot", "false", "/podSecurityContext/runAsNonRoot"),
                Arguments.of("redis.external.clientType", "ring", "/redis/external/clientType"));
    }

    @ParameterizedTest
    @MethodSource("badValues")
    void theSchemaRefusesBadValuesNamingThem(String key, String value, String path) {
        assertThatThrownBy(() -> Chart.template(List.of(), Map.of(key, value)))
                .hasMessageContaining("schema")
                .hasMessageContaining("'" + path + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"router", "classification"})
    void aKeyAsAPlainEnvironmentValueIsRefused(String component) {
        assertThatThrownBy(() -> Chart.template(List.of(), Map.of(component + ".env[0].name", "OPENAI_API_KEY",
                component + ".env[0].value", "sk-live")))
                .hasMessageContaining("'/" + component + "/env/0'");
    }

    @Test
    void theDiarizationPodGetsItsEngineModelFromTheModelsVolumeAndItsRemoteKeyFromASecret() {
        assertThat(env(Chart.render().deployment("diarization"))).containsEntry("TIERGATE_DIARIZATION_ENGINE", "embedded")
                .doesNotContainKeys("TIERGATE_DIARIZATION_ONNX_MODEL_PATH", "TIERGATE_DIARIZATION_REMOTE_API_KEY",
                        "TIERGATE_DIARIZATION_OVERLAP_MODEL_PATH");

        assertThat(env(Chart.render("gpu").deployment("diarization"))).containsEntry("TIERGATE_DIARIZATION_ENGINE", "onnx-embeddings")
                .containsEntry("TIERGATE_DIARIZATION_ONNX_MODEL_PATH", "/models/wespeaker-voxceleb-resnet34-LM.onnx")
                .containsEntry("TIERGATE_DIARIZATION_OVERLAP_MODEL_PATH", "/models/pyannote-segmentation-3.0.onnx");
        assertThat(env(Chart.render(Map.of("diarization.overlap.model", "segmentation/model.onnx")).deployment("diarization")))
                .containsEntry("TIERGATE_DIARIZATION_ENGINE", "embedded")
                .containsEntry("TIERGATE_DIARIZATION_OVERLAP_MODEL_PATH", "/models/segmentation/model.onnx");

        Chart.Rendered remote = Chart.render(Map.of("diarization.engine", "remote",
                "diarization.remote.apiKey.existingSecret.name", "pyannote"));
        EnvVar key = remote.deployment("diarization").getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()
                .stream().filter(env -> env.getName().equals("TIERGATE_DIARIZATION_REMOTE_API_KEY")).findFirst().orElseThrow();
        assertThat(key.getValue()).isNull();
        assertThat(key.getValueFrom().getSecretKeyRef().getName()).isEqualTo("pyannote");
        assertThat(key.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("api-key");
        assertThat(remote.get(NetworkPolicy.class, "tiergate-diarization").getSpec().getEgress())
                .as("the remote engine reaches its API").anyMatch(rule -> rule.getPorts().stream()
                        .anyMatch(p -> Integer.valueOf(443).equals(p.getPort().getIntVal())));
        assertThat(Chart.render().get(NetworkPolicy.class, "tiergate-diarization").getSpec().getEgress())
                .as("an in-process engine reaches nothing outside").noneMatch(rule -> rule.getPorts().stream()
                        .anyMatch(p -> Integer.valueOf(443).equals(p.getPort().getIntVal())));

        assertThatThrownBy(() -> Chart.template(List.of(), Map.of("diarization.engine", "remote")))
                .hasMessageContaining("diarization.remote.apiKey.existingSecret.name");
        assertThatThrownBy(() -> Chart.template(List.of(), Map.of("diarization.engine", "onnx-embeddings")))
                .hasMessageContaining("diarization.onnx.model");
    }

    @Test
    void anExternalRedisWithoutAddressesAndAnUnknownGpuPoolAreRefused() {
        assertThatThrownBy(() -> Chart.template(List.of(), Map.of("redis.mode", "external")))
                .hasMessageContaining("/redis/external");
        assertThatThrownBy(() -> Chart.template(List.of(), Map.of("transcription.gpu.pool", "h100")))
                .hasMessageContaining("transcription.gpu.pool").hasMessageContaining("h100");
    }
}
