package io.sockethost.core.config;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * Binds a JSON object to a record of optional fields one field at a time, so that every unknown field and
 * every value of the wrong type is reported, not only the first one Jackson meets. A field with a problem
 * binds as {@code null}; nested records bind the same way. Stateless.
 */
final class RecordBinder {

    /** Where a binding problem goes: the field's path (relative to the bound object) and what is wrong. */
    @FunctionalInterface
    interface Problems {
        void add(String field, String message);
    }

    private RecordBinder() {
    }

    /**
     * @param node an object (anything else is reported and binds as {@code null})
     * @param path the object's path, prepended to each problem's field
     * @param ignored field names that are allowed but not part of the record (checked elsewhere)
     */
    static <T extends Record> T bind(JsonNode node, Class<T> type, String path, Set<String> ignored, Problems problems) {
        if (!node.isObject()) {
            problems.add(path, "expected an object");
            return null;
        }
        RecordComponent[] components = type.getRecordComponents();
        List<String> names = Arrays.stream(components).map(RecordComponent::getName).toList();
        Iterator<String> fields = node.fieldNames();
        while (fields.hasNext()) {
            String field = fields.next();
            if (!names.contains(field) && !ignored.contains(field)) {
                problems.add(StrictJson.join(path, field), "unknown field \"" + field + "\"" + suggestion(field, names)
                        + "; allowed fields: " + names.stream().sorted().collect(Collectors.joining(", ")));
            }
        }
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent component = components[i];
            JsonNode value = node.get(component.getName());
            if (value == null || value.isNull()) {
                continue;
            }
            String fieldPath = StrictJson.join(path, component.getName());
            if (component.getType().isRecord()) {
                values[i] = bind(value, component.getType().asSubclass(Record.class), fieldPath, Set.of(), problems);
                continue;
            }
            try {
                values[i] = StrictJson.MAPPER.readerFor(StrictJson.MAPPER.constructType(component.getGenericType()))
                        .readValue(value);
            } catch (JsonProcessingException e) {
                problems.add(StrictJson.join(fieldPath, StrictJson.pathOf(e)), StrictJson.describe(e));
            } catch (IOException | IllegalArgumentException e) {
                problems.add(fieldPath, e.getMessage());
            }
        }
        try {
            Constructor<T> canonical = type.getDeclaredConstructor(
                    Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
            canonical.setAccessible(true);
            return canonical.newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type.getName(), e);
        }
    }

    /** {@code "; did you mean \"pollInterval\"?"} for a near miss, else nothing. */
    static String suggestion(String field, List<String> names) {
        String best = null;
        int bestDistance = 3;
        for (String name : names) {
            int d = distance(field.toLowerCase(java.util.Locale.ROOT), name.toLowerCase(java.util.Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = name;
            }
        }
        return best == null ? "" : "; did you mean \"" + best + "\"?";
    }

    /** Levenshtein distance, for names of a few dozen characters. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }
}
