package dev.attributerelay.mapping;

import com.dashjoin.jsonata.JException;
import com.dashjoin.jsonata.Jsonata;

/**
 * A JSONata expression from relay.yaml, compiled once per container.
 *
 * <p>Most expressions in a configuration are field paths ({@code data.object.metadata.plan}) and a few simple
 * tests and choices over them ({@code type in ["customer.created", "customer.updated"]},
 * {@code $contains(type, /^customer\.subscription\./)}, {@code $type(x) = "string" ? $uppercase(x)}). Those
 * shapes are answered by a {@link Shortcut} wherever the answer is certain to be JSONata's (numbers included: a
 * path hands back the very object); everything else (arrays, which JSONata maps over; objects, which it copies;
 * values a function refuses) is left to JSONata, so the result never differs.
 */
public final class Expression {
    /** Bounds on one evaluation, so a runaway expression or a hostile payload cannot hang the function. */
    private static final long TIMEOUT_MS = 1_000;
    private static final int MAX_DEPTH = 300;

    private final String source;
    /** Null until first needed, for a text the build already compiled (CompiledYaml); else compiled at once. */
    private volatile Jsonata compiled;
    /** The shape answered without JSONata; null when the source is none of them. */
    private final Shortcut shortcut;

    private Expression(String source, Jsonata compiled) {
        this.source = source;
        this.compiled = compiled;
        this.shortcut = Shortcut.of(source);
    }

    /**
     * The expression of this text. A text the build compiled (relay.yaml's and the presets', CompiledYaml) is
     * compiled by JSONata on first use, which a shortcut often spares altogether; any other is compiled now, so
     * a mistake surfaces at init.
     *
     * @throws IllegalArgumentException with JSONata's own reason when the text does not compile
     */
    public static Expression compile(String source) {
        return new Expression(source, CompiledYaml.compiles(source) ? null : jsonata(source));
    }

    private static Jsonata jsonata(String source) {
        try {
            Jsonata compiled = Jsonata.jsonata(source);
            // JSONata walks the whole input before every evaluation to reject non-JSON Java objects; ours are
            // Jackson's and the form decoder's maps, lists, strings, numbers and booleans by construction, and an
            // event evaluates a dozen expressions or more over the same payload (a batch, hundreds)
            compiled.setValidateInput(false);
            return compiled;
        } catch (JException e) {
            throw new IllegalArgumentException("JSONata does not compile: " + e.getMessage(), e);
        }
    }

    /** JSONata's compiled form, compiling it now if it was left for first use (SnapStart's priming calls this). */
    public void prepare() {
        compiled();
    }

    /** Whether JSONata's compiled form exists yet (tests). */
    boolean isCompiled() {
        return compiled != null;
    }

    private Jsonata compiled() {
        Jsonata c = compiled;
        if (c == null) {
            // two threads may both compile on a first use: the same text gives an equal result, either one serves
            c = jsonata(source);
            compiled = c;
        }
        return c;
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
        if (shortcut != null) {
            Object v = shortcut.evaluate(input);
            if (v != Shortcut.UNDECIDED) {
                return v;
            }
        }
        return evaluateWithJsonata(input, bindings);
    }

    /** Whether some inputs are answered without JSONata (tests make sure the shapes meant to be are). */
    boolean hasShortcut() {
        return shortcut != null;
    }

    /** JSONata alone, without the shortcut (tests compare the two). */
    Object evaluateWithJsonata(Object input, Bindings bindings) {
        try {
            Jsonata jsonata = compiled();
            Jsonata.Frame frame = jsonata.createFrame();
            frame.setRuntimeBounds(TIMEOUT_MS, MAX_DEPTH);
            frame.bind("event", bindings.event());
            frame.bind("headers", bindings.headers());
            Object result = jsonata.evaluate(input, frame);
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
