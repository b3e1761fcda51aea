package io.sockethost.core.config;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * Finds every key that appears twice in one JSON object, with the lines of both. Jackson's own
 * duplicate detection stops at the first and names only the second line, and without it the last
 * value silently wins: an operator's two {@code address} fields would bind a port nobody meant.
 */
final class DuplicateKeys {

    /** A key written twice: its JSON path and the lines of the first and the repeated occurrence. */
    record Duplicate(String path, int firstLine, int secondLine) {
        String message() {
            return "duplicate key: first at line " + firstLine + ", again at line " + secondLine
                    + "; the second would silently replace the first, so keep one";
        }
    }

    /** One object or array being read: its path, and for objects the lines of the keys seen. */
    private record Level(String path, Map<String, Integer> keys, int[] index) {
    }

    private DuplicateKeys() {
    }

    /** @throws IOException if the text is not well-formed JSON */
    static List<Duplicate> find(String json) throws IOException {
        List<Duplicate> found = new ArrayList<>();
        Deque<Level> levels = new ArrayDeque<>();
        String pendingField = null;
        try (JsonParser parser = StrictJson.MAPPER.getFactory().createParser(json)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                switch (token) {
                    case FIELD_NAME -> {
                        Level level = levels.peek();
                        String name = parser.currentName();
                        int line = parser.currentTokenLocation().getLineNr();
                        Integer first = level.keys().putIfAbsent(name, line);
                        if (first != null) {
                            found.add(new Duplicate(StrictJson.join(level.path(), name), first, line));
                        }
                        pendingField = name;
                    }
                    case START_OBJECT, START_ARRAY -> {
                        String path = childPath(levels.peek(), pendingField);
                        levels.push(new Level(path, token == JsonToken.START_OBJECT ? new HashMap<>() : null, new int[] {0}));
                        pendingField = null;
                    }
                    case END_OBJECT, END_ARRAY -> {
                        levels.pop();
                        advance(levels.peek());
                    }
                    default -> {
                        advance(levels.peek());
                        pendingField = null;
                    }
                }
            }
        }
        return found;
    }

    private static String childPath(Level parent, String field) {
        if (parent == null) {
            return "";
        }
        if (parent.keys() == null) {
            return parent.path() + "[" + parent.index()[0] + "]";
        }
        return StrictJson.join(parent.path(), field);
    }

    /** A value ended inside {@code level}: the next array element has the next index. */
    private static void advance(Level level) {
        if (level != null && level.keys() == null) {
            level.index()[0]++;
        }
    }
}
