package io.sockethost.launcher;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;

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
     * @param onStop called for each SIGTERM or SIGINT
     * @param onReload called for each SIGHUP
     * @return false if signals cannot be handled in this JVM
     */
    static boolean install(Runnable onStop, Runnable onReload) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Object stop = handler(handlerClass, onStop);
            Object reload = handler(handlerClass, onReload);
            for (String name : new String[] {"TERM", "INT", "HUP"}) {
                Object signal = signalClass.getConstructor(String.class).newInstance(name);
                signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, signal,
                        name.equals("HUP") ? reload : stop);
            }
            return true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return false;
        }
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
