package dev.attributerelay.mapping;

import dev.attributerelay.inbound.Headers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Why an event maps as it does, for {@code invoke --explain} and {@code serve --explain}: per rule, whether
 * {@code when} matched, each attribute's value or why it came out null, and the customer reference. Computed
 * on demand from the same rules; the request path never calls it.
 */
public final class Explanation {
    private static final Pattern PLAIN_PATH = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*");

    private Explanation() {
    }

    /** One line per finding, each starting with {@code #} so the output stays readable beside the request. */
    public static List<String> of(Integration integration, Object payload, Headers headers) {
        Expression.Bindings bindings = new Expression.Bindings(payload, Mapper.headerMap(headers));
        List<String> out = new ArrayList<>();
        Integration.EventFields fields = integration.event();
        out.add("# explain: integration '" + integration.name() + "', event type "
                + shown(quietly(fields.type(), payload, bindings)) + ", id " + shown(quietly(fields.id(), payload, bindings)));
        for (Rule rule : integration.rules()) {
            boolean applies;
            try {
                applies = rule.when().test(payload, bindings);
            } catch (Expression.EvaluationException e) {
                out.add("# rule " + rule.name() + ": when failed: " + e.getMessage());
                continue;
            }
            if (!applies) {
                out.add("# rule " + rule.name() + ": when did not match (`" + rule.when().source() + "`)");
                continue;
            }
            out.add("# rule " + rule.name() + ": when matched");
            List<Object> items = List.of(payload);
            if (rule.each() != null) {
                Object each;
                try {
                    each = rule.each().evaluate(payload, bindings);
                } catch (Expression.EvaluationException e) {
                    out.add("#   each failed: " + e.getMessage());
                    continue;
                }
                items = each == null ? List.of() : each instanceof List<?> l ? new ArrayList<>(l) : List.of(each);
                out.add("#   each gave " + items.size() + (items.size() == 1 ? " item" : " items"));
            }
            for (int i = 0; i < items.size(); i++) {
                String indent = rule.each() == null ? "#   " : "#   item " + i + ": ";
                item(rule, items.get(i), bindings, indent, out);
            }
        }
        return out;
    }

    private static void item(Rule rule, Object item, Expression.Bindings bindings, String indent, List<String> out) {
        Rule.CustomerSpec c = rule.customer();
        String kind = c.kind().yamlName();
        Object ref = quietly(c.value(), item, bindings);
        out.add(indent + "customer " + kind + " = " + (ref == null || ref.toString().isBlank()
                ? "null: " + whyNull(c.value(), item) + " (nothing would be sent)"
                : ref + (c.dataSourceUuid() == null ? "" : " in data source " + c.dataSourceUuid())));
        for (Rule.AttributeSpec a : rule.attributes()) {
            String line = indent + a.key() + " (" + a.type() + ") = ";
            Object raw;
            try {
                raw = a.value().evaluate(item, bindings);
            } catch (Expression.EvaluationException e) {
                out.add(line + "failed: " + e.getMessage());
                continue;
            }
            try {
                Object value = a.type().coerce(raw);
                out.add(line + (value == null ? "null: " + whyNull(a.value(), item) + ", left out" : shown(value)));
            } catch (AttributeType.CoercionException e) {
                out.add(line + "cannot be coerced: " + e.getMessage());
            }
        }
    }

    /** For a plain path, the first step that is missing; otherwise that the expression gave nothing. */
    static String whyNull(Expression e, Object item) {
        String source = e.source().trim();
        if (!PLAIN_PATH.matcher(source).matches()) {
            return "`" + source + "` gave nothing";
        }
        String[] steps = source.split("\\.");
        Object at = item;
        StringBuilder walked = new StringBuilder();
        for (String step : steps) {
            if (!(at instanceof Map<?, ?> m)) {
                return walked.length() == 0 ? "the payload is not an object"
                        : walked + " is " + (at instanceof List ? "a list" : "not an object") + ", so has no '" + step + "'";
            }
            if (!m.containsKey(step)) {
                return (walked.length() == 0 ? "the payload" : walked) + " has no '" + step + "'";
            }
            at = m.get(step);
            walked.append(walked.length() == 0 ? "" : ".").append(step);
            if (at == null) {
                return walked + " is null";
            }
        }
        return walked + " is empty";
    }

    private static Object quietly(Expression e, Object input, Expression.Bindings bindings) {
        if (e == null) {
            return null;
        }
        try {
            return e.evaluate(input, bindings);
        } catch (RuntimeException ex) {
            return null;
        }
    }

    private static String shown(Object v) {
        return v instanceof String s ? "\"" + s + "\"" : String.valueOf(v);
    }
}
