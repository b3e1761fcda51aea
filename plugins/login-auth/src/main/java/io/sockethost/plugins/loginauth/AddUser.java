package io.sockethost.plugins.loginauth;

import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;

/**
 * The command that adds a login-auth user or changes a user's password, with nothing but the JDK on the
 * class path:
 * <pre>
 * java -cp plugins/plugin-login-auth-VERSION.jar io.sockethost.plugins.loginauth.AddUser [--users FILE] [--password-stdin] NAME
 * </pre>
 * The password is read from the console without echo (twice), or with {@code --password-stdin} from the
 * first line of standard input. The file is rewritten in one step (temporary file, then rename) with the new
 * hash; other lines are kept. A running server picks the change up at its next login. Exit codes: 0 done,
 * 1 failed (message on stderr), 2 bad usage.
 */
public final class AddUser {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;
    private static final int MAX_PASSWORD_BYTES = 4096;

    private static final String HELP = """
            Usage: java -cp plugin-login-auth.jar io.sockethost.plugins.loginauth.AddUser [options] NAME
            Adds user NAME to the login-auth users file, or changes the password of NAME if it exists.
            The password is asked twice on the console, without echo, unless --password-stdin is given.

              --users FILE       the users file (default: %s, relative to the current directory,
                                 which should be the sockethost home)
              --password-stdin   read the password from the first line of standard input
              --iterations N     PBKDF2-HMAC-SHA256 iterations (default: %d; at least %d)
              -h, --help         show this help

            Exit codes: 0 done, 1 failed, 2 bad usage.
            """.formatted(LoginAuthSettings.DEFAULT_USERS_FILE, PasswordHash.DEFAULT_ITERATIONS, PasswordHash.MIN_ITERATIONS);

    /** What the command line asked for. */
    private record Options(Path users, boolean passwordStdin, int iterations, String name) {
    }

    /** A command line that cannot be run; the message says why. */
    private static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    private final InputStream stdin;
    private final PrintStream out;
    private final PrintStream err;
    private final Console console;

    AddUser(InputStream stdin, PrintStream out, PrintStream err, Console console) {
        this.stdin = stdin;
        this.out = out;
        this.err = err;
        this.console = console;
    }

    public static void main(String[] args) {
        System.exit(new AddUser(System.in, System.out, System.err, System.console()).run(args));
    }

    /** @return the exit code */
    int run(String... args) {
        Options options;
        try {
            options = parse(args);
        } catch (UsageException e) {
            err.println("AddUser: " + e.getMessage());
            err.println("Try --help.");
            return USAGE;
        }
        if (options == null) {
            out.print(HELP);
            return OK;
        }
        char[] password = null;
        try {
            password = options.passwordStdin() ? passwordFromStdin() : passwordFromConsole(options.name());
            return write(options, password);
        } catch (UsersFileException e) {
            err.println("AddUser: " + e.getMessage() + "; fix the file first, nothing was changed");
            return FAILED;
        } catch (IOException | IllegalStateException e) {
            err.println("AddUser: " + e.getMessage());
            return FAILED;
        } finally {
            if (password != null) {
                Arrays.fill(password, '\0');
            }
        }
    }

    /** @return the options, or {@code null} when help was asked for */
    private static Options parse(String[] args) throws UsageException {
        Path users = Path.of(LoginAuthSettings.DEFAULT_USERS_FILE);
        boolean passwordStdin = false;
        int iterations = PasswordHash.DEFAULT_ITERATIONS;
        String name = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "-h", "--help" -> {
                    return null;
                }
                case "--password-stdin" -> passwordStdin = true;
                case "--users" -> users = Path.of(value(args, ++i, arg));
                case "--iterations" -> iterations = iterations(value(args, ++i, arg));
                default -> {
                    if (arg.startsWith("-")) {
                        throw new UsageException("unknown option " + arg + "; allowed: --users, --password-stdin, --iterations, --help");
                    }
                    if (name != null) {
                        throw new UsageException("one user name only; got " + name + " and " + arg);
                    }
                    name = arg;
                }
            }
        }
        if (name == null) {
            throw new UsageException("missing the user name");
        }
        if (!UsersFile.NAME.matcher(name).matches()) {
            throw new UsageException("invalid user name; allowed: 1 to 64 characters, no blanks, no ':', not starting with '#'");
        }
        return new Options(users, passwordStdin, iterations, name);
    }

    private static String value(String[] args, int i, String option) throws UsageException {
        if (i >= args.length) {
            throw new UsageException(option + " needs a value");
        }
        return args[i];
    }

    private static int iterations(String text) throws UsageException {
        try {
            int n = Integer.parseInt(text);
            if (n >= PasswordHash.MIN_ITERATIONS && n <= PasswordHash.MAX_ITERATIONS) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below, as for a number out of range
        }
        throw new UsageException("--iterations: " + text + " is not a whole number from " + PasswordHash.MIN_ITERATIONS
                + " to " + PasswordHash.MAX_ITERATIONS);
    }

    private int write(Options options, char[] password) throws IOException, UsersFileException {
        if (password.length == 0) {
            throw new IllegalStateException("the password is empty; nothing was changed");
        }
        Path file = options.users();
        List<String> lines = Files.exists(file) ? UsersFile.lines(file) : List.of();
        boolean existed = UsersFile.parse(file, lines).containsKey(options.name());
        PasswordHash hash = PasswordHash.create(password, options.iterations(), new SecureRandom());
        UsersFile.writeAtomically(file, UsersFile.withUser(file, lines, options.name(), hash));
        out.println((existed ? "changed the password of user " : "added user ") + options.name() + " in " + file.toAbsolutePath());
        return OK;
    }

    /** The first line of stdin, without its terminator, decoded strictly as UTF-8. */
    private char[] passwordFromStdin() throws IOException {
        byte[] bytes = new byte[MAX_PASSWORD_BYTES];
        int length = 0;
        int b;
        try {
            while ((b = stdin.read()) >= 0 && b != '\n') {
                if (length == bytes.length) {
                    throw new IllegalStateException("the password is longer than " + MAX_PASSWORD_BYTES + " bytes");
                }
                bytes[length++] = (byte) b;
            }
            if (length > 0 && bytes[length - 1] == '\r') {
                length--;
            }
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes, 0, length));
            char[] password = Arrays.copyOfRange(chars.array(), chars.position(), chars.limit());
            Arrays.fill(chars.array(), '\0');
            return password;
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("the password on stdin is not UTF-8 text; nothing was changed");
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private char[] passwordFromConsole(String name) {
        if (console == null) {
            throw new IllegalStateException("no console to ask for the password; give it on stdin with --password-stdin");
        }
        char[] first = console.readPassword("Password for %s: ", name);
        char[] second = first == null ? null : console.readPassword("Repeat the password: ");
        if (first == null || second == null) {
            throw new IllegalStateException("no password given; nothing was changed");
        }
        try {
            if (!Arrays.equals(first, second)) {
                Arrays.fill(first, '\0');
                throw new IllegalStateException("the two passwords differ; nothing was changed");
            }
            return first;
        } finally {
            Arrays.fill(second, '\0');
        }
    }
}
