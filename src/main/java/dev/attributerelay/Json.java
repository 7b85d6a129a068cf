package dev.attributerelay;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON for the whole process, on jackson-core's streaming parser and generator. Trees are databind's
 * {@link JsonNode}s and values Jackson's usual maps, lists and numbers, but no {@link ObjectMapper} is built to
 * read or write them: its first use loads some 700 classes (serializers, deserializers, introspection), which
 * was the largest single piece of a cold start (docs/performance.md). The mapper is still there, built on first
 * use, for the command-line tool's pretty printing and the backfill's conversions, which run on no cold path.
 *
 * <p>What reads here reads as the mapper configured below would: decimals exact ({@link BigDecimal}, trailing
 * zeros kept), integers as Integer, Long or BigInteger by size, the last of duplicate keys kept, nothing after
 * the document, nesting and sizes bounded so a hostile body cannot exhaust the stack or the heap.
 * {@code JsonStreamingTest} checks that against the mapper on every fixture.
 */
public final class Json {
    private static final int MAX_NESTING = 200;
    private static final int MAX_NUMBER_LENGTH = 1000;

    /** Payloads, ChartMogul's answers, secrets, queue messages. */
    private static final JsonFactory FACTORY = factory(2_000_000);
    /**
     * Lambda event envelopes. A synchronous invocation carries at most 6 MB, and the request body is one string
     * inside it, often longer than a payload's strings may be: the envelope must still be read, so that an
     * oversized body answers 413 rather than "not JSON".
     */
    private static final JsonFactory EVENTS = factory(6 * 1024 * 1024);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Json() {
    }

    private static JsonFactory factory(int maxStringLength) {
        return JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING)
                        .maxNumberLength(MAX_NUMBER_LENGTH)
                        .maxStringLength(maxStringLength)
                        .build())
                .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
                .build();
    }

    /** A JSON document as a tree; an empty document is the missing node, as the mapper has it. */
    public static JsonNode readTree(byte[] json) throws IOException {
        try (JsonParser p = FACTORY.createParser(json)) {
            return tree(p);
        }
    }

    /** @see #readTree(byte[]) */
    public static JsonNode readTree(String json) throws IOException {
        try (JsonParser p = FACTORY.createParser(json)) {
            return tree(p);
        }
    }

    /** A Lambda event envelope as a tree: as {@link #readTree(byte[])}, with room for a 6 MB body string. */
    public static JsonNode readEvent(byte[] json) throws IOException {
        try (JsonParser p = EVENTS.createParser(json)) {
            return tree(p);
        }
    }

    /** @see #readEvent(byte[]) */
    public static JsonNode readEvent(String json) throws IOException {
        try (JsonParser p = EVENTS.createParser(json)) {
            return tree(p);
        }
    }

    /**
     * A JSON document as plain values: {@code Map} (insertion-ordered), {@code List}, {@code String},
     * {@code Integer}/{@code Long}/{@code BigInteger}, {@code BigDecimal}, {@code Boolean}, null.
     *
     * @throws IOException when it is not one JSON document, or is empty
     */
    public static Object readValue(String json) throws IOException {
        try (JsonParser p = FACTORY.createParser(json)) {
            return value(p);
        }
    }

    /** @see #readValue(String) */
    public static Object readValue(byte[] json) throws IOException {
        try (JsonParser p = FACTORY.createParser(json)) {
            return value(p);
        }
    }

    private static JsonNode tree(JsonParser p) throws IOException {
        return tree(p, true);
    }

    /**
     * Reads a tree from any parser positioned before its document, to its end.
     *
     * @param exactDecimals decimals as BigDecimal (JSON here); else as double, as databind reads YAML by default
     */
    public static JsonNode tree(JsonParser p, boolean exactDecimals) throws IOException {
        JsonToken t = p.nextToken();
        if (t == null) {
            return MissingNode.getInstance();
        }
        JsonNode root = node(p, t, exactDecimals);
        requireEnd(p);
        return root;
    }

    private static Object value(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        if (t == null) {
            throw new JsonParseException(p, "no content: the document is empty");
        }
        Object root = plain(p, t);
        requireEnd(p);
        return root;
    }

    private static void requireEnd(JsonParser p) throws IOException {
        JsonToken after = p.nextToken();
        if (after != null) {
            throw new JsonParseException(p, "trailing token " + after + " after the document");
        }
    }

    // recursion is bounded by the parser's nesting limit
    private static JsonNode node(JsonParser p, JsonToken t, boolean exactDecimals) throws IOException {
        switch (t) {
            case START_OBJECT: {
                ObjectNode o = NODES.objectNode();
                String name;
                while ((name = p.nextFieldName()) != null) {
                    o.set(name, node(p, p.nextToken(), exactDecimals));
                }
                return o;
            }
            case START_ARRAY: {
                ArrayNode a = NODES.arrayNode();
                JsonToken v;
                while ((v = p.nextToken()) != JsonToken.END_ARRAY) {
                    a.add(node(p, v, exactDecimals));
                }
                return a;
            }
            case VALUE_STRING:
                return NODES.textNode(p.getText());
            case VALUE_NUMBER_INT:
                switch (p.getNumberType()) {
                    case INT:
                        return NODES.numberNode(p.getIntValue());
                    case LONG:
                        return NODES.numberNode(p.getLongValue());
                    default:
                        return NODES.numberNode(p.getBigIntegerValue());
                }
            case VALUE_NUMBER_FLOAT:
                return exactDecimals ? NODES.numberNode(p.getDecimalValue()) : NODES.numberNode(p.getDoubleValue());
            case VALUE_TRUE:
                return NODES.booleanNode(true);
            case VALUE_FALSE:
                return NODES.booleanNode(false);
            case VALUE_NULL:
                return NODES.nullNode();
            case VALUE_EMBEDDED_OBJECT: {
                Object embedded = p.getEmbeddedObject(); // YAML's !!binary
                return embedded instanceof byte[] b ? NODES.binaryNode(b) : NODES.pojoNode(embedded);
            }
            default:
                throw new JsonParseException(p, "unexpected token " + t);
        }
    }

    private static Object plain(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT: {
                Map<String, Object> m = new LinkedHashMap<>();
                String name;
                while ((name = p.nextFieldName()) != null) {
                    m.put(name, plain(p, p.nextToken()));
                }
                return m;
            }
            case START_ARRAY: {
                List<Object> l = new ArrayList<>();
                JsonToken v;
                while ((v = p.nextToken()) != JsonToken.END_ARRAY) {
                    l.add(plain(p, v));
                }
                return l;
            }
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                return p.getNumberValue();
            case VALUE_NUMBER_FLOAT:
                return p.getDecimalValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new JsonParseException(p, "unexpected token " + t);
        }
    }

    /** An empty object node to build a document in. */
    public static ObjectNode object() {
        return NODES.objectNode();
    }

    /** An empty array node to build a document in. */
    public static ArrayNode array() {
        return NODES.arrayNode();
    }

    /** A plain value (as {@link #readValue(String)} gives, or an attribute's value) as a tree. */
    public static JsonNode toTree(Object value) {
        if (value == null) {
            return NODES.nullNode();
        }
        if (value instanceof JsonNode n) {
            return n;
        }
        if (value instanceof CharSequence s) {
            return NODES.textNode(s.toString());
        }
        if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return NODES.numberNode(((Number) value).intValue());
        }
        if (value instanceof Long l) {
            return NODES.numberNode(l);
        }
        if (value instanceof BigInteger b) {
            return NODES.numberNode(b);
        }
        if (value instanceof BigDecimal d) {
            return NODES.numberNode(d);
        }
        if (value instanceof Double d) {
            return NODES.numberNode(d);
        }
        if (value instanceof Float f) {
            return NODES.numberNode(f);
        }
        if (value instanceof Map<?, ?> m) {
            ObjectNode o = NODES.objectNode();
            m.forEach((k, v) -> o.set(String.valueOf(k), toTree(v)));
            return o;
        }
        if (value instanceof Collection<?> c) {
            ArrayNode a = NODES.arrayNode();
            c.forEach(v -> a.add(toTree(v)));
            return a;
        }
        return Databind.MAPPER.valueToTree(value);
    }

    /** A tree as plain values, as {@link #readValue(String)} would have read it. */
    public static Object toValue(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                m.put(e.getKey(), toValue(e.getValue()));
            }
            return m;
        }
        if (node.isArray()) {
            List<Object> l = new ArrayList<>(node.size());
            node.forEach(v -> l.add(toValue(v)));
            return l;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isNumber()) {
            return node.isFloatingPointNumber() ? node.decimalValue() : node.numberValue();
        }
        return Databind.MAPPER.convertValue(node, Object.class);
    }

    /** Writes maps, lists, nodes, text, numbers, booleans and null as JSON. */
    public static String write(Object value) {
        return write(value, false);
    }

    /**
     * As {@link #write(Object)}, every character outside ASCII as a {@code \\u} escape: text that is not valid
     * Unicode (a lone surrogate) then survives a channel that would refuse or mangle it.
     */
    public static String writeAscii(Object value) {
        return write(value, true);
    }

    private static String write(Object value, boolean ascii) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            if (ascii) {
                g.enable(JsonGenerator.Feature.ESCAPE_NON_ASCII);
            }
            write(g, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void write(JsonGenerator g, Object value) throws IOException {
        if (value == null) {
            g.writeNull();
        } else if (value instanceof CharSequence s) {
            g.writeString(s.toString());
        } else if (value instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (value instanceof Collection<?> c) {
            g.writeStartArray();
            for (Object v : c) {
                write(g, v);
            }
            g.writeEndArray();
        } else if (value instanceof JsonNode n) {
            writeNode(g, n);
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            g.writeNumber(((Number) value).intValue());
        } else if (value instanceof Long l) {
            g.writeNumber(l);
        } else if (value instanceof BigInteger b) {
            g.writeNumber(b);
        } else if (value instanceof BigDecimal d) {
            g.writeNumber(d);
        } else if (value instanceof Double d) {
            g.writeNumber(d);
        } else if (value instanceof Float f) {
            g.writeNumber(f);
        } else {
            writeNode(g, Databind.MAPPER.valueToTree(value)); // records and the like: off the cold path
        }
    }

    private static void writeNode(JsonGenerator g, JsonNode n) throws IOException {
        switch (n.getNodeType()) {
            case OBJECT: {
                g.writeStartObject();
                Iterator<Map.Entry<String, JsonNode>> it = n.fields();
                while (it.hasNext()) {
                    Map.Entry<String, JsonNode> e = it.next();
                    if (e.getValue().isMissingNode()) {
                        continue;
                    }
                    g.writeFieldName(e.getKey());
                    writeNode(g, e.getValue());
                }
                g.writeEndObject();
                return;
            }
            case ARRAY: {
                g.writeStartArray();
                for (JsonNode v : n) {
                    writeNode(g, v);
                }
                g.writeEndArray();
                return;
            }
            case STRING:
                g.writeString(n.textValue());
                return;
            case BOOLEAN:
                g.writeBoolean(n.booleanValue());
                return;
            case NULL:
            case MISSING:
                g.writeNull();
                return;
            case NUMBER:
                switch (n.numberType()) {
                    case INT:
                        g.writeNumber(n.intValue());
                        return;
                    case LONG:
                        g.writeNumber(n.longValue());
                        return;
                    case BIG_INTEGER:
                        g.writeNumber(n.bigIntegerValue());
                        return;
                    case BIG_DECIMAL:
                        g.writeNumber(n.decimalValue());
                        return;
                    case FLOAT:
                        g.writeNumber(n.floatValue());
                        return;
                    default:
                        g.writeNumber(n.doubleValue());
                        return;
                }
            default:
                g.writeRawValue(Databind.MAPPER.writeValueAsString(n)); // binary and POJO nodes: never on our paths
        }
    }

    /**
     * The databind mapper, configured as everything above reads and writes, for what needs data binding or a
     * pretty printer. Built on first use.
     */
    public static ObjectMapper mapper() {
        return Databind.MAPPER;
    }

    private static volatile boolean mapperBuilt;

    private static final class Databind {
        static {
            mapperBuilt = true;
        }

        static final ObjectMapper MAPPER = JsonMapper.builder(FACTORY.copy())
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
                .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
                .build();
    }

    /** Whether anything in this process has built the databind mapper yet (a cold path should not). */
    public static boolean mapperBuilt() {
        return mapperBuilt;
    }
}
