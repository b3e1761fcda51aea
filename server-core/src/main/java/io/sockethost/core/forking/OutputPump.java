package io.sockethost.core.forking;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Reads a worker's stdout or stderr to its end and hands each line to the host's log, so a worker never
 * blocks on a full pipe and what it prints is attributed to it. A line longer than {@value #MAX_LINE}
 * bytes is passed on in pieces, so a handler printing without newlines cannot exhaust the host's memory.
 */
final class OutputPump implements Runnable {
    static final int MAX_LINE = 8192;

    private final InputStream stream;
    private final Consumer<String> lines;

    OutputPump(InputStream stream, Consumer<String> lines) {
        this.stream = stream;
        this.lines = lines;
    }

    @Override
    public void run() {
        byte[] line = new byte[MAX_LINE];
        int length = 0;
        byte[] chunk = new byte[4096];
        try (stream) {
            int n;
            while ((n = stream.read(chunk)) >= 0) {
                for (int i = 0; i < n; i++) {
                    byte b = chunk[i];
                    if (b == '\n' || length == MAX_LINE) {
                        emit(line, length);
                        length = 0;
                        if (b == '\n') {
                            continue;
                        }
                    }
                    line[length++] = b;
                }
            }
        } catch (IOException e) {
            // the pipe closed under us (the host is stopping the worker): nothing more to read
        } finally {
            if (length > 0) {
                emit(line, length);
            }
        }
    }

    private void emit(byte[] line, int length) {
        int end = length > 0 && line[length - 1] == '\r' ? length - 1 : length;
        lines.accept(new String(line, 0, end, StandardCharsets.UTF_8));
    }
}
