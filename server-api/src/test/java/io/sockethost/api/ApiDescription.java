package io.sockethost.api;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** A stable, sorted, line-per-member description of every public type and member in compiled classes. */
final class ApiDescription {
    private ApiDescription() {
    }

    static List<String> of(Path classesDir, ClassLoader loader) throws IOException {
        List<String> classNames;
        try (Stream<Path> files = Files.walk(classesDir)) {
            classNames = files.map(classesDir::relativize).map(Path::toString)
                    .filter(n -> n.endsWith(".class") && !n.endsWith("package-info.class"))
                    .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.'))
                    .sorted().toList();
        }
        List<String> lines = new ArrayList<>();
        for (String name : classNames) {
            Class<?> type;
            try {
                type = Class.forName(name, false, loader);
            } catch (ClassNotFoundException e) {
                throw new IOException(e);
            }
            if (!Modifier.isPublic(type.getModifiers())) {
                continue;
            }
            lines.add(header(type));
            List<String> members = new ArrayList<>();
            for (Field f : type.getDeclaredFields()) {
                if (Modifier.isPublic(f.getModifiers())) {
                    members.add("  " + Modifier.toString(f.getModifiers()) + " " + f.getGenericType().getTypeName() + " " + f.getName());
                }
            }
            for (Constructor<?> c : type.getDeclaredConstructors()) {
                if (Modifier.isPublic(c.getModifiers()) || Modifier.isProtected(c.getModifiers())) {
                    members.add("  " + Modifier.toString(c.getModifiers()) + " " + typeParameters(c) + type.getSimpleName() + signature(c));
                }
            }
            for (Method m : type.getDeclaredMethods()) {
                if ((Modifier.isPublic(m.getModifiers()) || Modifier.isProtected(m.getModifiers())) && !m.isSynthetic()) {
                    String modifiers = Modifier.toString(m.getModifiers() & ~Modifier.TRANSIENT);
                    members.add("  " + (m.isDefault() ? "default " : "") + modifiers + " " + typeParameters(m)
                            + m.getGenericReturnType().getTypeName() + " " + m.getName() + signature(m));
                }
            }
            members.sort(null);
            lines.addAll(members);
        }
        return lines;
    }

    private static String header(Class<?> type) {
        String kind = type.isEnum() ? "enum" : type.isInterface() ? "interface" : type.isRecord() ? "record" : "class";
        int modifiers = type.getModifiers() & ~(Modifier.INTERFACE | Modifier.ABSTRACT | Modifier.STATIC);
        if (type.isEnum()) {
            modifiers &= ~Modifier.FINAL;
        }
        StringBuilder sb = new StringBuilder(Modifier.toString(modifiers)).append(' ');
        if (type.isSealed()) {
            sb.append("sealed ");
        }
        sb.append(kind).append(' ').append(type.getName());
        Type superclass = type.getGenericSuperclass();
        if (superclass != null && superclass != Object.class && !type.isEnum() && !type.isRecord()) {
            sb.append(" extends ").append(superclass.getTypeName());
        }
        Type[] interfaces = type.getGenericInterfaces();
        if (interfaces.length > 0) {
            sb.append(type.isInterface() ? " extends " : " implements ")
                    .append(Arrays.stream(interfaces).map(Type::getTypeName).collect(Collectors.joining(", ")));
        }
        if (type.isSealed()) {
            sb.append(" permits ").append(Arrays.stream(type.getPermittedSubclasses()).map(Class::getName).sorted()
                    .collect(Collectors.joining(", ")));
        }
        return sb.toString();
    }

    private static String signature(Executable e) {
        String params = Arrays.stream(e.getGenericParameterTypes()).map(Type::getTypeName).collect(Collectors.joining(", "));
        String throwsClause = e.getGenericExceptionTypes().length == 0 ? "" : " throws "
                + Arrays.stream(e.getGenericExceptionTypes()).map(Type::getTypeName).collect(Collectors.joining(", "));
        return "(" + params + ")" + throwsClause;
    }

    private static String typeParameters(Executable e) {
        return e.getTypeParameters().length == 0 ? "" : "<" + Arrays.stream(e.getTypeParameters())
                .map(Object::toString).collect(Collectors.joining(", ")) + "> ";
    }

    /** @return an empty string when equal; otherwise every removed and added line and what to do */
    static String compare(List<String> committed, List<String> actual) {
        List<String> removed = committed.stream().filter(l -> !actual.contains(l)).toList();
        List<String> added = actual.stream().filter(l -> !committed.contains(l)).toList();
        if (removed.isEmpty() && added.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder("The public API of server-api differs from api/server-api.txt:\n");
        removed.forEach(l -> sb.append("  removed: ").append(l.trim()).append('\n'));
        added.forEach(l -> sb.append("  added:   ").append(l.trim()).append('\n'));
        sb.append("If the change is intended, run `mvn -pl server-api test -Dapi.update=true` and commit the file with it.\n");
        if (!removed.isEmpty()) {
            sb.append("Removing or changing a member breaks plugins built for this version: it needs a new major version "
                    + "(see the README, Versioning).\n");
        }
        return sb.toString();
    }
}
