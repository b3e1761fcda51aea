package io.sockethost.distribution;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * A plugin as a third party would write it, built in the test from source against the jars in the
 * distribution's {@code lib/}: one {@code StreamHandler} that greets each line it reads, its extension index
 * and its descriptor, in a jar.
 */
final class ThirdPartyPlugin {
    static final String ID = "greeter";
    static final String SERVER = "greeter-tcp";
    static final String HANDLER = "com.example.greeter.GreeterHandler";

    private static final String SOURCE = """
            package com.example.greeter;

            import java.io.BufferedReader;
            import java.io.InputStreamReader;
            import java.io.OutputStream;
            import java.nio.charset.StandardCharsets;

            import io.sockethost.api.StreamHandler;
            import io.sockethost.api.StreamRequest;

            public final class GreeterHandler implements StreamHandler {
                @Override
                public void handle(StreamRequest request) throws Exception {
                    BufferedReader in = new BufferedReader(new InputStreamReader(request.input(), StandardCharsets.UTF_8));
                    OutputStream out = request.output();
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        out.write(("%GREETING%, " + line + " (from " + request.server().name() + ")\\n").getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    }
                }
            }
            """;

    private static final String DESCRIPTOR = """
            {
              "id": "%s",
              "version": "0.1.0",
              "requires": ">=1.0.0 & <2.0.0",
              "description": "Greets every line (a third-party plugin built by the end-to-end test).",
              "servers": [
                {"name": "%s", "handler": "%s", "transport": "tcp", "address": "127.0.0.1:0"}
              ]
            }
            """.formatted(ID, SERVER, HANDLER);

    private ThirdPartyPlugin() {
    }

    /**
     * Compiles the handler against {@code classPath} (the distribution's server-api jar, and pf4j for the
     * {@code ExtensionPoint} the API's handler interfaces extend) and writes the plugin jar.
     */
    static Path build(Path workDir, List<Path> classPath, Path jar) throws IOException {
        return build(workDir, classPath, jar, "hello");
    }

    /** As {@link #build(Path, List, Path)}, greeting with another word (a new version of the same plugin). */
    static Path build(Path workDir, List<Path> classPath, Path jar, String greeting) throws IOException {
        Path sources = Files.createDirectories(workDir.resolve("src/com/example/greeter"));
        Path classes = Files.createDirectories(workDir.resolve("classes"));
        Path source = Files.writeString(sources.resolve("GreeterHandler.java"), SOURCE.replace("%GREETING%", greeting));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new AssertionError("the test needs a JDK (javax.tools); java.home is " + System.getProperty("java.home"));
        }
        StringWriter diagnostics = new StringWriter();
        List<String> options = List.of("--release", "17", "-proc:none", "-d", classes.toString(),
                "-classpath", String.join(java.io.File.pathSeparator, classPath.stream().map(Path::toString).toList()));
        boolean compiled = javac.getTask(diagnostics, null, null, options, null,
                javac.getStandardFileManager(null, null, StandardCharsets.UTF_8).getJavaFileObjects(source)).call();
        if (!compiled) {
            throw new AssertionError("the third-party plugin does not compile:\n" + diagnostics);
        }
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             Stream<Path> compiledFiles = Files.walk(classes)) {
            put(out, "sockethost-plugin.json", DESCRIPTOR.getBytes(StandardCharsets.UTF_8));
            put(out, "META-INF/extensions.idx", (HANDLER + "\n").getBytes(StandardCharsets.UTF_8));
            for (Path file : compiledFiles.filter(Files::isRegularFile).toList()) {
                put(out, classes.relativize(file).toString().replace(java.io.File.separatorChar, '/'), Files.readAllBytes(file));
            }
        }
        return jar;
    }

    private static void put(JarOutputStream out, String name, byte[] content) throws IOException {
        out.putNextEntry(new JarEntry(name));
        out.write(content);
        out.closeEntry();
    }
}
