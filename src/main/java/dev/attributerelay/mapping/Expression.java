package dev.attributerelay.mapping;

import com.dashjoin.jsonata.JException;
import com.dashjoin.jsonata.Jsonata;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A JSONata expression from relay.yaml, compiled once per container.
 *
 * <p>Most expressions in a configuration are plain field paths ({@code data.object.metadata.plan}). Those are
 * walked directly through the payload's maps when the walk meets only maps and ends at text, a number, a boolean
 * or nothing: the cases where JSONata's answer is that same value (numbers included: it hands back the very
 * object). Everything else (arrays, which JSONata maps over; objects, which it copies) is left to JSONata, so the
 * result never differs. The commonest test, {@code type in ["customer.created", "customer.updated"]}, is answered
 * the same way when the path ends at text or nothing.
 */
public final class Expression {
    /** Bounds on one evaluation, so a runaway expression or a hostile payload cannot hang the function. */
    private static final long TIMEOUT_MS = 1_000;
    private static final int MAX_DEPTH = 300;
    private static final String PATH = "[A-Za-z_][A-Za-z0-9_]*(?:\\.[A-Za-z_][A-Za-z0-9_]*)*";
    private static final String TEXT = "\"[^\"\\\\]*\"|'[^'\\\\]*'";
    private static final Pattern PLAIN_PATH = Pattern.compile(PATH);
    /** {@code path in ["a", 'b']}: text literals without escapes. */
    private static final Pattern IN_TEXTS = Pattern.compile("\\s*(" + PATH + ")\\s+in\\s+\\[\\s*((?:" + TEXT
            + ")(?:\\s*,\\s*(?:" + TEXT + "))*)?\\s*]\\s*");
    private static final Pattern ONE_TEXT = Pattern.compile(TEXT);
    /** Words JSONata reads as literals or operators, not field names. */
    private static final Set<String> RESERVED = Set.of("true", "false", "null", "and", "or", "in", "function");
    private static final Object UNDECIDED = new Object();

    private final String source;
    private final Jsonata compiled;
    /** The field names of a plain path, or of the path tested by {@link #texts}; null for anything else. */
    private final String[] path;
    /** For {@code path in [texts]}, the texts; null for anything else. */
    private final Set<String> texts;

    private Expression(String source, Jsonata compiled) {
        this.source = source;
        this.compiled = compiled;
        java.util.regex.Matcher in = IN_TEXTS.matcher(source);
        if (PLAIN_PATH.matcher(source).matches()) {
            this.path = names(source);
            this.texts = null;
        } else if (in.matches()) {
            String[] names = names(in.group(1));
            Set<String> literals = new java.util.HashSet<>();
            java.util.regex.Matcher t = ONE_TEXT.matcher(in.group(2) == null ? "" : in.group(2));
            while (t.find()) {
                literals.add(t.group().substring(1, t.group().length() - 1));
            }
            this.path = names;
            this.texts = names == null ? null : Set.copyOf(literals);
        } else {
            this.path = null;
            this.texts = null;
        }
    }

    private static String[] names(String path) {
        String[] names = path.split("\\.");
        for (String n : names) {
            if (RESERVED.contains(n)) {
                return null;
            }
        }
        return names;
    }

    /**
     * @throws IllegalArgumentException with JSONata's own reason when the text does not compile
     */
    public static Expression compile(String source) {
        try {
            Jsonata compiled = Jsonata.jsonata(source);
            // JSONata walks the whole input before every evaluation to reject non-JSON Java objects; ours are
            // Jackson's and the form decoder's maps, lists, strings, numbers and booleans by construction, and an
            // event evaluates a dozen expressions or more over the same payload (a batch, hundreds)
            compiled.setValidateInput(false);
            return new Expression(source, compiled);
        } catch (JException e) {
            throw new IllegalArgumentException("JSONata does not compile: " + e.getMessage(), e);
        }
    }

    public String source() {
        return source;
    }

    /**
     * Evaluates against {@code input}, with {@code $event} bound to the whole payload and {@code $headers}
     * to the request's headers (lower-case names).
     *
     * @throws EvaluationException when evaluation fails (a type error in the expression, a time-out)
     */
    public Object evaluate(Object input, Bindings bindings) {
        if (path != null) {
            Object v = walk(input);
            if (v != UNDECIDED) {
                return v;
            }
        }
        return evaluateWithJsonata(input, bindings);
    }

    /** The answer where it is certain to be JSONata's too; {@link #UNDECIDED} elsewhere. */
    private Object walk(Object input) {
        Object v = input;
        for (String name : path) {
            if (!(v instanceof Map<?, ?> m)) {
                if (v != null) {
                    return UNDECIDED;
                }
                break; // a missing or null field ends in nothing
            }
            v = m.get(name);
        }
        if (texts != null) {
            // JSONata: nothing is in no list; text is in a list of texts when it equals one
            return v == null ? Boolean.FALSE : v instanceof String t ? Boolean.valueOf(texts.contains(t)) : UNDECIDED;
        }
        return v == null || v instanceof String || v instanceof Boolean || v instanceof Number ? v : UNDECIDED;
    }

    /** JSONata alone, without the plain-path walk (tests compare the two). */
    Object evaluateWithJsonata(Object input, Bindings bindings) {
        try {
            Jsonata.Frame frame = compiled.createFrame();
            frame.setRuntimeBounds(TIMEOUT_MS, MAX_DEPTH);
            frame.bind("event", bindings.event());
            frame.bind("headers", bindings.headers());
            Object result = compiled.evaluate(input, frame);
            return result == Jsonata.NULL_VALUE ? null : result;
        } catch (JException | StackOverflowError | ClassCastException | IllegalArgumentException e) {
            throw new EvaluationException("`" + source + "` failed: " + message(e));
        } catch (RuntimeException e) {
            // JSONata's runtime throws unchecked exceptions of its own choosing on odd input
            throw new EvaluationException("`" + source + "` failed: " + e.getClass().getSimpleName());
        }
    }

    /** True when the result is JSONata-truthy (false, null, 0, "" and empty lists are false). */
    public boolean test(Object input, Bindings bindings) {
        return Jsonata.boolize(evaluate(input, bindings));
    }

    private static String message(Throwable e) {
        if (e instanceof StackOverflowError) {
            return "nesting too deep";
        }
        String m = e.getMessage();
        // JSONata quotes the values it could not use ("Unable to cast value to a number: \"abc\""): they are the
        // customer's data, and this message reaches logs and answers
        return m == null ? e.getClass().getSimpleName() : QUOTED.matcher(m).replaceAll("\"…\"");
    }

    private static final java.util.regex.Pattern QUOTED = java.util.regex.Pattern.compile("\"[^\"]*\"|'[^']*'");

    @Override
    public String toString() {
        return source;
    }

    /** The variables every expression sees besides its input. */
    public record Bindings(Object event, Object headers) {
    }

    public static final class EvaluationException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public EvaluationException(String message) {
            super(message, null, false, false);
        }
    }
}
