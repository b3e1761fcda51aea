package io.sockethost.launcher;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Handles SIGTERM and SIGINT ourselves, so that a graceful stop ends with exit status 0 (a JVM that exits
 * through its default signal handling reports 143 or 130) and a second Ctrl-C can force the exit; and
 * SIGHUP, which asks for a reload (by default it would end the JVM). Uses {@code sun.misc.Signal}
 * reflectively; where it is missing, the caller falls back to a shutdown hook. The handlers run on the
 * JVM's signal thread: they must return quickly.
 */
final class Signals {
    private Signals() {
    }

    /**
     * Installs each handler on its own: a signal that was ignored when the JVM started (SIGHUP under
     * {@code nohup}, SIGINT in a background job of a non-interactive shell) stays ignored, as the JVM insists,
     * and the others are still installed.
     *
     * @param onStop called for each SIGTERM or SIGINT
     * @param onReload called for each SIGHUP
     * @return the names of the signals now handled ({@code TERM}, {@code INT}, {@code HUP}); empty if this JVM
     *     offers no signal handling
     */
    static Set<String> install(Runnable onStop, Runnable onReload) {
        Class<?> signalClass;
        Class<?> handlerClass;
        Object stop;
        Object reload;
        try {
            signalClass = Class.forName("sun.misc.Signal");
            handlerClass = Class.forName("sun.misc.SignalHandler");
            stop = handler(handlerClass, onStop);
            reload = handler(handlerClass, onReload);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return Set.of();
        }
        Set<String> installed = new LinkedHashSet<>();
        for (String name : new String[] {"TERM", "INT", "HUP"}) {
            try {
                Object signal = signalClass.getConstructor(String.class).newInstance(name);
                Object previous = signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, signal,
                        name.equals("HUP") ? reload : stop);
                // For a signal ignored since the JVM started, the JVM installs nothing and answers SIG_IGN.
                if (previous != handlerClass.getField("SIG_IGN").get(null)) {
                    installed.add(name);
                }
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                // "Signal already used by VM or OS": not ours to handle
            }
        }
        return installed;
    }

    private static Object handler(Class<?> handlerClass, Runnable action) {
        InvocationHandler invocation = (proxy, method, args) -> {
            if (method.getName().equals("handle")) {
                action.run();
                return null;
            }
            return switch (method.getName()) {
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                default -> "sockethost signal handler";
            };
        };
        return Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {handlerClass}, invocation);
    }
}
