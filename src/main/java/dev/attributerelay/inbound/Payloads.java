package dev.attributerelay.inbound;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.attributerelay.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses a verified body into what expressions read: maps, lists, strings, numbers (exact decimals) and
 * booleans. JSON (objects or arrays) by default; {@code application/x-www-form-urlencoded} into nested
 * maps, with bracketed keys ({@code data[merges][FNAME]}) becoming nested objects.
 */
public final class Payloads {
    private static final int MAX_FORM_FIELDS = 2_000;
    private static final int MAX_FORM_DEPTH = 16;
    private static final String FORM = "application/x-www-form-urlencoded";

    private Payloads() {
    }

    /** @throws BadPayload with a reason that never quotes the body */
    public static Object parse(byte[] body, String contentType) {
        if (body.length == 0) {
            throw new BadPayload("the body is empty");
        }
        if (FORM.equals(mediaType(contentType))) {
            String text = utf8(body);
            String start = text.stripLeading();
            if (start.startsWith("{") || start.startsWith("[")) {
                // a form encoder escapes both; read as a form, JSON would become one field named after the body
                throw new BadPayload("the body is JSON but its Content-Type says " + FORM);
            }
            return form(text);
        }
        // JSON is UTF-8 (RFC 8259 §8.1). Decoding first, strictly, refuses invalid and overlong sequences and
        // the UTF-16 and UTF-32 forms that Jackson would otherwise detect from the first bytes and accept.
        String text = utf8(body);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1); // a UTF-8 byte order mark, which parsers may ignore
        }
        try {
            Object parsed = Json.readValue(text);
            if (!(parsed instanceof Map) && !(parsed instanceof List)) {
                throw new BadPayload("the body is JSON but not an object or an array");
            }
            return parsed;
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new BadPayload(at == null || at.getLineNr() < 0 ? "the body is not valid JSON"
                    : "the body is not valid JSON (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")");
        } catch (IOException e) {
            throw new BadPayload("the body is not valid JSON");
        } catch (NumberFormatException e) {
            // valid JSON syntax, but an exponent beyond what BigDecimal holds (1e9999999990): Jackson throws this
            // unchecked, and anything but BadPayload would answer 500
            throw new BadPayload("the body has a number too large to read");
        }
    }

    /** Decodes form fields; {@code a[b][c]=v} becomes {@code {"a": {"b": {"c": "v"}}}}. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> form(String text) {
        Map<String, Object> root = new LinkedHashMap<>();
        if (text.isEmpty()) {
            return root;
        }
        String[] pairs = text.split("&", -1);
        if (pairs.length > MAX_FORM_FIELDS) {
            throw new BadPayload("the form has more than " + MAX_FORM_FIELDS + " fields");
        }
        for (String pair : pairs) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            List<String> path = path(name);
            Map<String, Object> node = root;
            for (int i = 0; i < path.size() - 1; i++) {
                Object child = node.get(path.get(i));
                if (!(child instanceof Map)) {
                    child = new LinkedHashMap<String, Object>();
                    node.put(path.get(i), child);
                }
                node = (Map<String, Object>) child;
            }
            String leaf = path.get(path.size() - 1);
            Object existing = node.get(leaf);
            if (existing instanceof List) {
                ((List<Object>) existing).add(value);
            } else if (existing instanceof String s && name.endsWith("[]")) {
                List<Object> list = new ArrayList<>();
                list.add(s);
                list.add(value);
                node.put(leaf, list);
            } else {
                node.put(leaf, name.endsWith("[]") ? new ArrayList<>(List.of(value)) : value);
            }
        }
        return root;
    }

    /** {@code a[b][c]} → [a, b, c]; {@code a[]} → [a]; malformed brackets keep the name whole. */
    private static List<String> path(String name) {
        int open = name.indexOf('[');
        if (open <= 0 || !name.endsWith("]")) {
            return List.of(name);
        }
        List<String> parts = new ArrayList<>();
        parts.add(name.substring(0, open));
        int i = open;
        while (i < name.length()) {
            if (name.charAt(i) != '[') {
                return List.of(name);
            }
            int close = name.indexOf(']', i);
            if (close < 0) {
                return List.of(name);
            }
            String part = name.substring(i + 1, close);
            if (!part.isEmpty()) {
                parts.add(part);
            }
            i = close + 1;
        }
        if (parts.size() > MAX_FORM_DEPTH) {
            throw new BadPayload("a form field is nested deeper than " + MAX_FORM_DEPTH + " levels");
        }
        return parts;
    }

    /** The media type alone, lower-case: {@code "Application/JSON; charset=utf-8"} → {@code "application/json"}. */
    private static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    private static String decode(String s) {
        try {
            return PercentEncoding.decode(s);
        } catch (IllegalArgumentException e) {
            throw new BadPayload("the form body has " + e.getMessage());
        }
    }

    private static String utf8(byte[] body) {
        return utf8(body, "the body is not UTF-8 text");
    }

    private static String utf8(byte[] bytes, String problem) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new BadPayload(problem);
        }
    }

    /** The body is not what the integration expects (400). */
    public static final class BadPayload extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public BadPayload(String message) {
            super(message, null, false, false);
        }
    }
}
