package io.tiergate.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads rendered manifests with the Kubernetes API model, strictly: the model keeps a field it does not know in an
 * object's additional properties rather than failing, so every object read is walked and any such field is an error
 * naming where it is. A misspelt field (readinesProbe, nodeSelecter) would otherwise be dropped by the API server
 * without a word.
 */
final class StrictManifests {

    /** Kinds from operators (KEDA, Prometheus Operator) that the core model does not describe; read generically. */
    private static final Set<String> CUSTOM_KINDS = Set.of("ScaledObject", "ServiceMonitor");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private StrictManifests() {
    }

    static List<HasMetadata> read(String multiDocumentYaml) {
        List<HasMetadata> objects = new ArrayList<>();
        try (var documents = YAML.readerFor(JsonNode.class).<JsonNode>readValues(multiDocumentYaml)) {
            while (documents.hasNext()) {
                JsonNode document = documents.next();
                if (document == null || document.isNull() || document.isEmpty()) {
                    continue;
                }
                objects.add(read(document));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return objects;
    }

    private static HasMetadata read(JsonNode document) {
        String kind = document.path("kind").asText();
        String where = kind + " " + document.path("metadata").path("name").asText();
        HasMetadata object = SERIALIZATION.unmarshal(document.toString());
        if (CUSTOM_KINDS.contains(kind)) {
            return object;
        }
        if (object instanceof GenericKubernetesResource) {
            throw new AssertionError(where + ": apiVersion " + document.path("apiVersion").asText()
                    + " is not a Kubernetes API the model knows");
        }
        List<String> unknown = new ArrayList<>();
        walk(object, where, unknown, new IdentityHashMap<>());
        if (!unknown.isEmpty()) {
            throw new AssertionError("fields the Kubernetes API does not have:\n  " + String.join("\n  ", unknown));
        }
        return object;
    }

    private static void walk(Object value, String path, List<String> unknown, Map<Object, Boolean> seen) {
        if (value == null || seen.put(value, Boolean.TRUE) != null) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, entry) -> walk(entry, path + "." + key, unknown, seen));
            return;
        }
        if (value instanceof Collection<?> items) {
            int index = 0;
            for (Object item : items) {
                walk(item, path + "[" + index++ + "]", unknown, seen);
            }
            return;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || getter.getDeclaringClass() == Object.class || !getter.getName().startsWith("get")) {
                continue;
            }
            Object field = invoke(getter, value);
            if (getter.getName().equals("getAdditionalProperties")) {
                if (field instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    unknown.add(path + ": " + extra.keySet());
                }
            } else {
                walk(field, path + "." + propertyName(getter), unknown, seen);
            }
        }
    }

    private static Object invoke(Method getter, Object target) {
        try {
            return getter.invoke(target);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + getter, e);
        }
    }

    private static String propertyName(Method getter) {
        String name = getter.getName().substring(3);
        return Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }
}
