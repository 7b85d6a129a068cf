package dev.attributerelay.testing;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.Set;

/**
 * Reads a CloudFormation YAML template into the JSON form, turning short-form intrinsic tags (!Ref, !Sub,
 * !GetAtt, ...) into their long forms ({"Ref": ...}, {"Fn::Sub": ...}). Jackson's YAML parser reports a
 * node's tag as its type id, so the tree is built here from the token stream.
 */
public final class CloudFormationYaml {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> FUNCTIONS = Set.of("Base64", "Cidr", "FindInMap", "GetAtt", "GetAZs",
            "ImportValue", "Join", "Select", "Split", "Sub", "If", "Equals", "Not", "And", "Or");
    private static final String CORE_TAG = "tag:yaml.org,2002:";

    private CloudFormationYaml() {
    }

    public static JsonNode read(String yaml) throws IOException {
        try (YAMLParser parser = new YAMLFactory().createParser(yaml)) {
            if (parser.nextToken() == null) {
                throw new IOException("empty YAML document");
            }
            return value(parser);
        }
    }

    private static JsonNode value(YAMLParser parser) throws IOException {
        String tag = parser.getTypeId();
        JsonNode node;
        switch (parser.currentToken()) {
            case START_OBJECT -> {
                ObjectNode object = NODES.objectNode();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    object.set(name, value(parser));
                }
                node = object;
            }
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.add(value(parser));
                }
                node = array;
            }
            case VALUE_STRING -> node = NODES.textNode(parser.getText());
            case VALUE_NUMBER_INT -> node = integral(parser);
            case VALUE_NUMBER_FLOAT -> node = NODES.numberNode(parser.getDecimalValue());
            case VALUE_TRUE, VALUE_FALSE -> node = NODES.booleanNode(parser.getBooleanValue());
            case VALUE_NULL -> node = NODES.nullNode();
            default -> throw new IOException("unexpected YAML token " + parser.currentToken());
        }
        return tag == null ? node : intrinsic(tag, node, parser);
    }

    private static JsonNode integral(YAMLParser parser) throws IOException {
        return switch (parser.getNumberType()) {
            case INT -> NODES.numberNode(parser.getIntValue());
            case LONG -> NODES.numberNode(parser.getLongValue());
            default -> NODES.numberNode(parser.getBigIntegerValue());
        };
    }

    private static JsonNode intrinsic(String tag, JsonNode argument, YAMLParser parser) throws IOException {
        if (tag.startsWith(CORE_TAG)) {
            return argument; // !!str and friends: plain YAML, already typed by the parser
        }
        if (tag.equals("Ref") || tag.equals("Condition")) {
            return NODES.objectNode().set(tag, argument);
        }
        if (!FUNCTIONS.contains(tag)) {
            throw new IOException("unknown tag !" + tag + " at line "
                    + parser.currentLocation().getLineNr() + " (not a CloudFormation intrinsic function)");
        }
        JsonNode value = argument;
        if (tag.equals("GetAtt") && argument.isTextual()) {
            String text = argument.asText();
            int dot = text.indexOf('.');
            if (dot < 1) {
                throw new IOException("!GetAtt " + text + " is not Resource.Attribute");
            }
            value = NODES.arrayNode().add(text.substring(0, dot)).add(text.substring(dot + 1));
        }
        return NODES.objectNode().set("Fn::" + tag, value);
    }
}
