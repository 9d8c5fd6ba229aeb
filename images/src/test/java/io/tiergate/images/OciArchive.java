package io.tiergate.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * An OCI image archive read back as a registry or a runtime would: {@code index.json} to the manifest, the manifest to
 * the config and the layers, and the paths each layer holds (without a leading {@code /} or {@code ./}).
 *
 * @param reference the image name the index gives ({@code org.opencontainers.image.ref.name})
 * @param config    the image configuration's {@code config} object (Entrypoint, User, ExposedPorts, Labels...)
 * @param layers    the paths in each layer, base first
 * @param passwd    {@code /etc/passwd} as the layers leave it
 */
record OciArchive(String reference, JsonNode config, List<Set<String>> layers, String passwd) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static OciArchive read(Path archive) throws IOException {
        // Index, manifest and config are small JSON files; read them first to know which blobs are layers.
        Map<String, byte[]> smallFiles = new HashMap<>();
        forEachEntry(archive, (entry, in) -> {
            if (entry.isFile() && entry.getSize() < 1 << 20) {
                smallFiles.put(entry.getName(), in.readAllBytes());
            }
        });
        byte[] index = smallFiles.get("index.json");
        if (index == null || !smallFiles.containsKey("oci-layout")) {
            throw new IOException(archive + " is not an OCI archive (no index.json or oci-layout)");
        }
        JsonNode manifestDescriptor = JSON.readTree(index).path("manifests").path(0);
        JsonNode manifest = JSON.readTree(blob(smallFiles, manifestDescriptor.path("digest").asText()));
        JsonNode config = JSON.readTree(blob(smallFiles, manifest.path("config").path("digest").asText()));

        List<String> layerBlobs = new ArrayList<>();
        manifest.path("layers").forEach(layer -> layerBlobs.add(blobPath(layer.path("digest").asText())));
        Map<String, Set<String>> pathsByBlob = new HashMap<>();
        String[] passwd = {""};
        forEachEntry(archive, (entry, in) -> {
            if (layerBlobs.contains(entry.getName())) {
                pathsByBlob.put(entry.getName(), layerPaths(in, passwd));
            }
        });
        return new OciArchive(manifestDescriptor.path("annotations").path("org.opencontainers.image.ref.name").asText(),
                config.path("config"), layerBlobs.stream().map(pathsByBlob::get).toList(), passwd[0]);
    }

    /** Whether any layer holds {@code path}. */
    boolean contains(String path) {
        return layers.stream().anyMatch(paths -> paths.contains(path));
    }

    private static Set<String> layerPaths(InputStream gzippedTar, String[] passwd) throws IOException {
        Set<String> paths = new LinkedHashSet<>();
        TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(gzippedTar));
        for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
            String path = entry.getName().replaceFirst("^\\./", "").replaceFirst("^/", "").replaceFirst("/$", "");
            paths.add(path);
            if (path.equals("etc/passwd") && entry.isFile()) {
                passwd[0] = new String(tar.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        return paths;
    }

    private static byte[] blob(Map<String, byte[]> smallFiles, String digest) throws IOException {
        byte[] blob = smallFiles.get(blobPath(digest));
        if (blob == null) {
            throw new IOException("no blob " + digest + " in the archive");
        }
        return blob;
    }

    private static String blobPath(String digest) {
        return "blobs/" + digest.replace(':', '/');
    }

    private interface EntryReader {
        void read(TarArchiveEntry entry, InputStream in) throws IOException;
    }

    private static void forEachEntry(Path archive, EntryReader reader) throws IOException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(archive))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                reader.read(entry, tar);
            }
        }
    }
}
