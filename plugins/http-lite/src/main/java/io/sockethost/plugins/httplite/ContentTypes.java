package io.sockethost.plugins.httplite;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Content types by file extension: a fixed table of the types a static site uses, which the
 * {@code contentTypes} setting extends or replaces. Text types say UTF-8. Unknown extensions are
 * {@code application/octet-stream}. Thread-safe (immutable).
 */
final class ContentTypes {
    static final String DEFAULT = "application/octet-stream";

    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("htm", "text/html; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("json", "application/json"),
            Map.entry("map", "application/json"),
            Map.entry("webmanifest", "application/manifest+json"),
            Map.entry("xml", "application/xml"),
            Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("md", "text/markdown; charset=utf-8"),
            Map.entry("csv", "text/csv; charset=utf-8"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"),
            Map.entry("webp", "image/webp"),
            Map.entry("avif", "image/avif"),
            Map.entry("ico", "image/vnd.microsoft.icon"),
            Map.entry("woff", "font/woff"),
            Map.entry("woff2", "font/woff2"),
            Map.entry("ttf", "font/ttf"),
            Map.entry("otf", "font/otf"),
            Map.entry("wasm", "application/wasm"),
            Map.entry("pdf", "application/pdf"),
            Map.entry("zip", "application/zip"),
            Map.entry("gz", "application/gzip"),
            Map.entry("tar", "application/x-tar"),
            Map.entry("mp3", "audio/mpeg"),
            Map.entry("ogg", "audio/ogg"),
            Map.entry("wav", "audio/wav"),
            Map.entry("mp4", "video/mp4"),
            Map.entry("webm", "video/webm"));

    private ContentTypes() {
    }

    /**
     * @param fileName the served file's name
     * @param overrides the {@code contentTypes} setting, keys already {@linkplain #normalise normalised}
     * @return the content type to send
     */
    static String of(String fileName, Map<String, String> overrides) {
        int dot = fileName.lastIndexOf('.');
        if (dot < 0 || dot == fileName.length() - 1) {
            return DEFAULT;
        }
        String extension = fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
        String type = overrides.isEmpty() ? null : overrides.get(extension);
        return type != null ? type : TYPES.getOrDefault(extension, DEFAULT);
    }

    /**
     * Checks and normalises the {@code contentTypes} setting: extensions lower case without a leading dot,
     * types without line breaks (they go into a header).
     */
    static Map<String, String> normalise(Map<String, String> configured) {
        Map<String, String> result = new HashMap<>();
        configured.forEach((extension, type) -> {
            String key = extension.startsWith(".") ? extension.substring(1) : extension;
            if (key.isEmpty() || type == null || type.isBlank() || type.chars().anyMatch(c -> c < 0x20 || c > 0x7e)) {
                throw new IllegalArgumentException("contentTypes: \"" + extension + "\": needs an extension and a "
                        + "printable ASCII content type such as \"text/markdown\"");
            }
            result.put(key.toLowerCase(Locale.ROOT), type.trim());
        });
        return Map.copyOf(result);
    }
}
