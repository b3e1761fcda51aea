package io.sockethost.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * An image tar as {@code jib:buildTar} writes it ({@code docker save}'s format): {@code manifest.json}, the
 * image's {@code config.json} and its layers, each a gzip'd tar. The files of all layers are merged in layer
 * order, as a container would see them (later layers win; no whiteouts, which jib does not write).
 * Immutable once read.
 *
 * @param manifest the single entry of {@code manifest.json}
 * @param config the image configuration the manifest names
 * @param files every regular file and folder of the layers, by absolute path without a trailing slash
 */
record ImageTar(JsonNode manifest, JsonNode config, Map<String, Entry> files) {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Files up to this size keep their content, so that a test can read configuration files. */
    private static final int KEPT_CONTENT = 64 * 1024;

    /** One file or folder of a layer; {@code content} is null for folders and for files over 64 KiB. */
    record Entry(String path, int mode, long size, boolean directory, byte[] content) {
    }

    /** @throws IOException if the tar cannot be read; AssertionError if it is not one image */
    static ImageTar read(Path tar) throws IOException {
        Map<String, byte[]> top = new LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(tar))) {
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (!e.isDirectory()) {
                    top.put(e.getName(), in.readAllBytes());
                }
            }
        }
        JsonNode manifests = JSON.readTree(required(top, "manifest.json"));
        if (manifests.size() != 1) {
            throw new AssertionError("manifest.json must describe exactly one image: " + manifests);
        }
        JsonNode manifest = manifests.get(0);
        JsonNode config = JSON.readTree(required(top, manifest.path("Config").asText()));
        Map<String, Entry> files = new LinkedHashMap<>();
        for (JsonNode layer : manifest.path("Layers")) {
            try (InputStream gz = new GZIPInputStream(new java.io.ByteArrayInputStream(required(top, layer.asText())));
                 TarArchiveInputStream in = new TarArchiveInputStream(gz)) {
                for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                    String path = "/" + e.getName().replaceAll("/+$", "");
                    byte[] content = !e.isDirectory() && e.getSize() <= KEPT_CONTENT ? in.readAllBytes() : null;
                    files.put(path, new Entry(path, e.getMode() & 07777, e.getSize(), e.isDirectory(), content));
                }
            }
        }
        return new ImageTar(manifest, config, files);
    }

    private static byte[] required(Map<String, byte[]> top, String name) {
        byte[] bytes = top.get(name);
        if (bytes == null) {
            throw new AssertionError("the image tar has no " + name + "; it holds " + top.keySet());
        }
        return bytes;
    }

    /** @throws AssertionError if the image has no such file */
    Entry file(String path) {
        Entry entry = files.get(path);
        if (entry == null) {
            throw new AssertionError("the image has no " + path);
        }
        return entry;
    }
}
