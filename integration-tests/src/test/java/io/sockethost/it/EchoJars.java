package io.sockethost.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/** The bundled echo plugin's real jar, and variants of it made by rewriting its descriptor and entries. */
final class EchoJars {
    static final Path ECHO = Path.of(System.getProperty("test.plugins"), "plugin-echo.jar");

    private EchoJars() {
    }

    /** Copies the echo jar under another plugin id, changing its descriptor and entries. */
    static Path variant(Path out, UnaryOperator<String> descriptor, Map<String, byte[]> extraEntries, String... dropEntries)
            throws IOException {
        try (ZipFile in = new ZipFile(ECHO.toFile()); ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(out))) {
            for (ZipEntry entry : java.util.Collections.list(in.entries())) {
                if (java.util.Arrays.asList(dropEntries).contains(entry.getName())) {
                    continue;
                }
                zip.putNextEntry(new ZipEntry(entry.getName()));
                try (InputStream data = in.getInputStream(entry)) {
                    byte[] bytes = data.readAllBytes();
                    if (entry.getName().equals("sockethost-plugin.json")) {
                        bytes = descriptor.apply(new String(bytes, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
                    }
                    zip.write(bytes);
                }
                zip.closeEntry();
            }
            for (Map.Entry<String, byte[]> extra : extraEntries.entrySet()) {
                zip.putNextEntry(new ZipEntry(extra.getKey()));
                zip.write(extra.getValue());
                zip.closeEntry();
            }
        }
        return out;
    }

    /** The echo descriptor as another plugin with its own server names. */
    static String renamed(String json, String id) {
        return json.replace("\"id\": \"echo\"", "\"id\": \"" + id + "\"").replace("\"echo-", "\"" + id + "-");
    }

    static String echo(InetSocketAddress address, String text) throws IOException {
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(text.getBytes(StandardCharsets.UTF_8));
            socket.shutdownOutput();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

}
