package io.sockethost.plugins.httplite;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The HTML page listing a folder, for {@code listDirectories}. Entries that the document root would not
 * serve (links leading out of it, devices, pipes) are left out; folders end in {@code /}. At most
 * {@link #MAX_ENTRIES} entries are listed, so a huge folder cannot make a huge page.
 */
final class DirectoryListing {
    static final int MAX_ENTRIES = 10_000;

    private DirectoryListing() {
    }

    /**
     * @param folder the folder's real path, inside the root
     * @param shownPath the decoded URL path of the folder, ending in {@code /}
     */
    static byte[] page(DocumentRoot root, Path folder, String shownPath) throws IOException {
        List<String> names = new ArrayList<>();
        boolean truncated = false;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            for (Path entry : entries) {
                if (names.size() == MAX_ENTRIES) {
                    truncated = true;
                    break;
                }
                String name = entry.getFileName().toString();
                DocumentRoot.Resource resource = root.entry(folder, name);
                if (resource instanceof DocumentRoot.Resource.Folder) {
                    names.add(name + "/");
                } else if (resource instanceof DocumentRoot.Resource.RegularFile) {
                    names.add(name);
                }
            }
        }
        names.sort(null);
        String title = "Index of " + html(shownPath);
        StringBuilder page = new StringBuilder(256 + names.size() * 80)
                .append("<!DOCTYPE html>\n<html>\n<head><meta charset=\"utf-8\"><title>").append(title)
                .append("</title></head>\n<body>\n<h1>").append(title).append("</h1>\n<ul>\n");
        if (!shownPath.equals("/")) {
            page.append("<li><a href=\"../\">../</a></li>\n");
        }
        for (String name : names) {
            boolean isFolder = name.endsWith("/");
            String bare = isFolder ? name.substring(0, name.length() - 1) : name;
            page.append("<li><a href=\"").append(urlEncode(bare)).append(isFolder ? "/" : "").append("\">")
                    .append(html(name)).append("</a></li>\n");
        }
        if (truncated) {
            page.append("<li>(only the first ").append(MAX_ENTRIES).append(" entries are listed)</li>\n");
        }
        page.append("</ul>\n</body>\n</html>\n");
        return page.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Percent-encodes everything but RFC 3986's unreserved characters, so any file name is one safe segment. */
    static String urlEncode(String name) {
        StringBuilder sb = new StringBuilder(name.length() + 16);
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }

    static String html(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
