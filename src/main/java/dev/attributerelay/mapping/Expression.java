package dev.attributerelay.mapping;

import com.dashjoin.jsonata.JException;
import com.dashjoin.jsonata.Jsonata;

/** A JSONata expression from relay.yaml, compiled once per container. */
public final class Expression {
    /** Bounds on one evaluation, so a runaway expression or a hostile payload cannot hang the function. */
    private static final long TIMEOUT_MS = 1_000;
    private static final int MAX_DEPTH = 300;

    private final String source;
    private final Jsonata compiled;

    private Expression(String source, Jsonata compiled) {
        this.source = source;
        this.compiled = compiled;
    }

    /**
     * @throws IllegalArgumentException with JSONata's own reason when the text does not compile
     */
    public static Expression compile(String source) {
        try {
            return new Expression(source, Jsonata.jsonata(source));
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
        return m == null ? e.getClass().getSimpleName() : m;
    }

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
