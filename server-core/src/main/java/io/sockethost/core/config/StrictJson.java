package io.sockethost.core.config;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.util.LRUMap;
import com.fasterxml.jackson.databind.util.LookupCache;

/**
 * The one Jackson configuration used for descriptors, overrides and plugin settings: strict (unknown
 * fields, strings where numbers belong, fractions where integers belong are all errors), and a translation
 * of Jackson's exceptions into messages an operator can act on.
 */
public final class StrictJson {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.ALLOW_COMMENTS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    private StrictJson() {
    }

    /**
     * A mapper with {@link #MAPPER}'s strictness and caches of its own, for binding a plugin's classes
     * (its settings types). Jackson caches every type it binds, in the mapper and in its type factory:
     * bound through the shared {@link #MAPPER}, a plugin's class would keep the plugin's class loader
     * reachable after the plugin is unloaded (a replaced jar in a reload). Drop the mapper with the plugin.
     */
    public static ObjectMapper forPluginTypes() {
        ObjectMapper mapper = MAPPER.copy();
        mapper.setTypeFactory(com.fasterxml.jackson.databind.type.TypeFactory.defaultInstance()
                .withCache(typeCache()));
        return mapper;
    }

    /** A type cache of the mapper's own, as a {@link LookupCache} (the {@code LRUMap} overload is deprecated). */
    private static LookupCache<Object, JavaType> typeCache() {
        return new LRUMap<>(16, 200);
    }

    /**
     * Binds a JSON tree to a type, turning a failure into a {@link ConfigProblem}.
     *
     * @param prefix the JSON path of {@code node} in its file, prepended to the path of the failure
     */
    public static <T> T bind(JsonNode node, Class<T> type, String file, String prefix) throws ConfigException {
        try {
            return MAPPER.treeToValue(node, type);
        } catch (JsonProcessingException e) {
            throw new ConfigException(new ConfigProblem(file, join(prefix, pathOf(e)), describe(e)));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(new ConfigProblem(file, prefix, e.getMessage()));
        }
    }

    /**
     * Reads a descriptor or override file strictly: malformed JSON, and every key written twice in one
     * object (with both lines), are problems of {@code file}.
     */
    public static JsonNode readTree(String json, String file) throws ConfigException {
        try {
            List<ConfigProblem> duplicates = DuplicateKeys.find(json).stream()
                    .map(d -> new ConfigProblem(file, d.path(), d.message())).toList();
            if (!duplicates.isEmpty()) {
                throw new ConfigException(duplicates);
            }
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ConfigException(new ConfigProblem(file, "", describe(e)));
        } catch (java.io.IOException e) {
            throw new ConfigException(new ConfigProblem(file, "", "cannot read: " + e.getMessage()));
        }
    }

    /** The JSON path at which Jackson failed, as {@code a.b[2].c}. */
    public static String pathOf(JsonProcessingException e) {
        if (!(e instanceof JsonMappingException mapping)) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : mapping.getPath()) {
            if (ref.getFieldName() != null) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    /** A one-line reason for a Jackson failure, naming the allowed values where Jackson knows them. */
    public static String describe(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            String known = u.getKnownPropertyIds() == null ? "" : u.getKnownPropertyIds().stream()
                    .map(Object::toString).sorted().collect(Collectors.joining(", "));
            return "unknown field \"" + u.getPropertyName() + "\"; allowed fields: " + known;
        }
        if (e instanceof ValueInstantiationException v && v.getCause() != null && v.getCause().getMessage() != null) {
            return v.getCause().getMessage(); // a settings record's own check: its words, without Jackson's
        }
        if (e instanceof InvalidFormatException f) {
            return "value " + render(f.getValue()) + " is not " + expected(f.getTargetType());
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            return "wrong type; expected " + expected(m.getTargetType());
        }
        if (e instanceof JsonMappingException) {
            return e.getOriginalMessage();
        }
        String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                + ", column " + e.getLocation().getColumnNr();
        return "malformed JSON" + where + ": " + e.getOriginalMessage();
    }

    static String expected(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants()).map(Object::toString)
                    .collect(Collectors.joining(", "));
        }
        if (java.util.Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "an object";
    }

    private static String render(Object value) {
        return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
    }

    public static String join(String prefix, String path) {
        if (prefix.isEmpty()) {
            return path;
        }
        if (path.isEmpty()) {
            return prefix;
        }
        return path.startsWith("[") ? prefix + path : prefix + "." + path;
    }

    /** RFC 7386 JSON merge patch: objects merge field by field, {@code null} removes, anything else replaces. */
    public static JsonNode mergePatch(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        com.fasterxml.jackson.databind.node.ObjectNode result = target != null && target.isObject()
                ? (com.fasterxml.jackson.databind.node.ObjectNode) target.deepCopy()
                : MAPPER.createObjectNode();
        Iterator<String> names = patch.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            JsonNode value = patch.get(name);
            if (value.isNull()) {
                result.remove(name);
            } else {
                result.set(name, mergePatch(result.get(name), value));
            }
        }
        return result;
    }
}
