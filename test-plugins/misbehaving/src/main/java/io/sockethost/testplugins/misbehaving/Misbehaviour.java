package io.sockethost.testplugins.misbehaving;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The commands both handlers obey in the same way: the misbehaving ones, which never return, and
 * {@code raise}, CPython's {@code BadHandler} of {@code ErrorHandlerTest}. Stateless apart from what
 * {@code oom} hoards.
 */
final class Misbehaviour {
    /** What a request that reaches {@link MisbehavingHooks#handleError} carries in its message: the log file. */
    static final String LOG_PREFIX = "log:";

    private Misbehaviour() {
    }

    /**
     * Carries out {@code command} if it is one of {@code exit STATUS} ({@link System#exit}), {@code halt STATUS}
     * ({@link Runtime#halt}), {@code oom} (allocates until {@link OutOfMemoryError}), {@code spin} (a busy loop
     * that never ends), or {@code raise exception|error FILE} (appends {@code Handler called} to FILE, then
     * throws an {@link Exception}, which the hook notes in FILE too, or an {@link Error}, which it never sees).
     *
     * @return false if it is none of them
     */
    static boolean obey(String command, String argument) throws Exception {
        switch (command) {
            case "exit" -> System.exit(Integer.parseInt(argument));
            case "halt" -> Runtime.getRuntime().halt(Integer.parseInt(argument));
            case "oom" -> {
                List<byte[]> hoard = new ArrayList<>();
                while (true) {
                    hoard.add(new byte[1 << 20]);
                }
            }
            case "spin" -> {
                long turns = 0;
                while (turns >= 0) {
                    turns++;
                    Thread.onSpinWait();
                }
            }
            case "raise" -> {
                String[] kindAndFile = argument.split("\\s+", 2);
                append(Path.of(kindAndFile[1]), "Handler called\n");
                String message = LOG_PREFIX + kindAndFile[1];
                if (kindAndFile[0].equals("error")) {
                    throw new AssertionError(message); // an Error: Python's SystemExit
                }
                throw new IllegalStateException(message);
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
