package dev.attributerelay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.UncheckedIOException;

/** The one Jackson mapper of the process: built once per container, thread-safe once configured. */
public final class Json {
    /**
     * Decimals stay exact (BigDecimal) so a Decimal attribute is sent as the provider wrote it; nesting
     * is bounded so a hostile body cannot exhaust the stack.
     */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(200)
                .maxNumberLength(1000)
                .maxStringLength(2_000_000)
                .build());
    }

    /**
     * Reads Lambda event envelopes. A synchronous invocation carries at most 6 MB, and the request body is one
     * string inside it, often longer than a payload's strings may be: the envelope must still be read, so that
     * an oversized body answers 413 rather than "not JSON". Nesting stays bounded as for payloads.
     */
    public static final ObjectMapper EVENTS = JsonMapper.builder().build();

    static {
        EVENTS.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(200)
                .maxNumberLength(1000)
                .maxStringLength(6 * 1024 * 1024)
                .build());
    }

    private Json() {
    }

    /** A JSON document as a tree (objects, arrays, exact numbers); nesting and sizes bounded as for payloads. */
    public static com.fasterxml.jackson.databind.JsonNode readTree(byte[] json) throws java.io.IOException {
        return MAPPER.readTree(json);
    }

    /** @see #readTree(byte[]) */
    public static com.fasterxml.jackson.databind.JsonNode readTree(String json) throws java.io.IOException {
        return MAPPER.readTree(json);
    }

    /** An empty object node to build a document in. */
    public static com.fasterxml.jackson.databind.node.ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /** An empty array node to build a document in. */
    public static com.fasterxml.jackson.databind.node.ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    /** Writes maps, lists, nodes, text, numbers, booleans and null as JSON. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
