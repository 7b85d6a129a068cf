package dev.attributerelay.mapping;

import com.dashjoin.jsonata.Jsonata;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The expression shapes relay.yaml files are mostly made of, answered without the JSONata interpreter, which
 * under C1 costs microseconds per evaluation: field paths (with {@code [n]} indexes), text and boolean literals,
 * {@code =}, {@code !=}, {@code in [texts]}, {@code and}, {@code or}, {@code a ? b : c}, parentheses, and the
 * functions {@code $type}, {@code $exists}, {@code $uppercase}, {@code $lowercase} and {@code $contains} with a
 * literal regex. Each node gives JSONata's answer or {@link #UNDECIDED} when its input is one it does not claim to
 * know (an array a path maps over, an object, a value of the wrong type for a function, which JSONata refuses):
 * then the whole expression goes to JSONata, so the result never differs. Anything else in the source (another
 * function, a variable, an escape, a regex beyond a plain literal) gives no shortcut at all.
 */
final class Shortcut {
    static final Object UNDECIDED = new Object();
    /** A field present with the value null: JSONata's null, which unlike a missing field has a type and equals itself. */
    private static final Object NULL = new Object();
    /** Words JSONata reads as literals or operators, never as field names. */
    private static final Set<String> RESERVED = Set.of("true", "false", "null", "and", "or", "in", "function");
    private static final int MAX_NESTING = 32;

    private final Node root;

    private Shortcut(Node root) {
        this.root = root;
    }

    /** The shortcut for the source, or null when its shape is not one answered here. */
    static Shortcut of(String source) {
        try {
            Reader r = new Reader(source);
            Node root = r.expression(0);
            r.space();
            return r.atEnd() ? new Shortcut(root) : null;
        } catch (NotOurs e) {
            return null;
        }
    }

    /** JSONata's answer (a missing or null result as null), or {@link #UNDECIDED}. */
    Object evaluate(Object input) {
        Object v = root.eval(input);
        return v == NULL ? null : v;
    }

    // --- the nodes -----------------------------------------------------------------------------------------

    /** Each node answers with text, a number, a boolean, null (nothing), {@link #NULL} or {@link #UNDECIDED}. */
    private interface Node {
        Object eval(Object input);
    }

    /** JSONata's truthiness; its null is false (it is neither text, number, boolean, list nor object). */
    private static boolean truthy(Object v) {
        return v != NULL && Jsonata.boolize(v);
    }

    /** Field names from the input, each optionally indexed; {@code index[i]} is -1 for a step without one. */
    private record Path(String[] names, int[] index) implements Node {
        @Override
        public Object eval(Object input) {
            Object v = walk(input);
            return v instanceof Map || v instanceof List ? UNDECIDED : v;
        }

        /** The value at the end, objects and arrays included; {@link #UNDECIDED} where JSONata would map over an array. */
        Object walk(Object input) {
            Object v = input;
            for (int i = 0; i < names.length; i++) {
                if (!(v instanceof Map<?, ?> m)) {
                    // text, a number or a boolean has no fields: JSONata's answer is certain only for nothing
                    return v == null || v == NULL ? null : UNDECIDED;
                }
                v = m.get(names[i]);
                if (v == null) {
                    v = m.containsKey(names[i]) ? NULL : null;
                }
                if (index[i] >= 0) {
                    if (!(v instanceof List<?> l)) {
                        // JSONata indexes a single value as a list of one; only a missing field is certain here
                        return v == null ? null : UNDECIDED;
                    }
                    if (index[i] >= l.size()) {
                        return null;
                    }
                    v = l.get(index[i]);
                    if (v == null || v instanceof List) {
                        return UNDECIDED; // a null element, or nested arrays, which JSONata flattens
                    }
                }
            }
            return v;
        }
    }

    private record Constant(Object value) implements Node {
        @Override
        public Object eval(Object input) {
            return value;
        }
    }

    private record Type(Node arg) implements Node {
        @Override
        public Object eval(Object input) {
            Object v = arg.eval(input);
            if (v == null || v == UNDECIDED) {
                return v;
            }
            if (v == NULL) {
                return "null";
            }
            return v instanceof String ? "string" : v instanceof Number ? "number"
                    : v instanceof Boolean ? "boolean" : UNDECIDED;
        }
    }

    private record Exists(Path path) implements Node {
        @Override
        public Object eval(Object input) {
            Object v = path.walk(input);
            // an object or a list at the end exists, [] included (JSONata hands the list itself back)
            return v == UNDECIDED ? v : Boolean.valueOf(v != null);
        }
    }

    private record Case(Node arg, boolean upper) implements Node {
        @Override
        public Object eval(Object input) {
            Object v = arg.eval(input);
            if (!(v instanceof String s)) {
                return v == null ? null : UNDECIDED; // JSONata refuses anything but text
            }
            // the default locale, as JSONata's own $uppercase and $lowercase use it: the answer must be theirs
            return upper ? s.toUpperCase() : s.toLowerCase();
        }
    }

    /** {@code $contains(arg, /literal/)} or {@code /^literal/}: a regex that means the same as the plain text. */
    private record Contains(Node arg, String literal, boolean anchored) implements Node {
        @Override
        public Object eval(Object input) {
            Object v = arg.eval(input);
            if (!(v instanceof String s)) {
                return v == null ? null : UNDECIDED;
            }
            return Boolean.valueOf(anchored ? s.startsWith(literal) : s.contains(literal));
        }
    }

    private record Equals(Node left, Node right, boolean negated) implements Node {
        @Override
        public Object eval(Object input) {
            Object l = left.eval(input);
            Object r = right.eval(input);
            if (l == UNDECIDED || r == UNDECIDED) {
                return UNDECIDED;
            }
            if (l == null || r == null) {
                return Boolean.FALSE; // JSONata: with nothing on either side, = and != are both false
            }
            // as JSONata compares: numbers as doubles, everything else by equals (its null equals only itself)
            Object a = l instanceof Number n ? (Object) n.doubleValue() : l;
            Object b = r instanceof Number n ? (Object) n.doubleValue() : r;
            return Boolean.valueOf(a.equals(b) != negated);
        }
    }

    private record In(Node arg, Set<String> texts) implements Node {
        @Override
        public Object eval(Object input) {
            Object v = arg.eval(input);
            if (v == UNDECIDED) {
                return v;
            }
            // JSONata compares with =: only text equals text, and nothing is in no list
            return Boolean.valueOf(v instanceof String s && texts.contains(s));
        }
    }

    private record And(Node left, Node right) implements Node {
        @Override
        public Object eval(Object input) {
            Object l = left.eval(input);
            if (l == UNDECIDED || !truthy(l)) {
                return l == UNDECIDED ? l : Boolean.FALSE; // JSONata does not evaluate the right side either
            }
            Object r = right.eval(input);
            return r == UNDECIDED ? r : Boolean.valueOf(truthy(r));
        }
    }

    private record Or(Node left, Node right) implements Node {
        @Override
        public Object eval(Object input) {
            Object l = left.eval(input);
            if (l == UNDECIDED || truthy(l)) {
                return l == UNDECIDED ? l : Boolean.TRUE;
            }
            Object r = right.eval(input);
            return r == UNDECIDED ? r : Boolean.valueOf(truthy(r));
        }
    }

    private record Condition(Node test, Node then, Node otherwise) implements Node {
        @Override
        public Object eval(Object input) {
            Object t = test.eval(input);
            if (t == UNDECIDED) {
                return t;
            }
            if (truthy(t)) {
                return then.eval(input);
            }
            return otherwise == null ? null : otherwise.eval(input);
        }
    }

    // --- reading the source ----------------------------------------------------------------------------------

    /** Not a shape answered here: the expression is JSONata's alone. */
    private static final class NotOurs extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotOurs() {
            super(null, null, false, false);
        }
    }

    /**
     * Recursive descent with JSONata's precedence, lowest first: {@code ? :}, {@code or}, {@code and}, then
     * {@code = != in}. Anything it does not know throws {@link NotOurs}.
     */
    private static final class Reader {
        private final String s;
        private int at;

        Reader(String s) {
            this.s = s;
        }

        boolean atEnd() {
            return at == s.length();
        }

        void space() {
            while (at < s.length() && (s.charAt(at) == ' ' || s.charAt(at) == '\t' || s.charAt(at) == '\n'
                    || s.charAt(at) == '\r')) {
                at++;
            }
        }

        /** Skips space, then the symbol if it is next. */
        boolean symbol(String symbol) {
            space();
            if (s.startsWith(symbol, at)) {
                at += symbol.length();
                return true;
            }
            return false;
        }

        /** Skips space, then the word if it is next as a whole word. */
        boolean word(String word) {
            space();
            int end = at + word.length();
            if (s.startsWith(word, at) && (end == s.length() || !namePart(s.charAt(end)))) {
                at = end;
                return true;
            }
            return false;
        }

        void expect(String symbol) {
            if (!symbol(symbol)) {
                throw new NotOurs();
            }
        }

        Node expression(int depth) {
            if (depth > MAX_NESTING) {
                throw new NotOurs();
            }
            Node test = or(depth);
            if (!symbol("?")) {
                return test;
            }
            Node then = expression(depth + 1);
            Node otherwise = symbol(":") ? expression(depth + 1) : null;
            return new Condition(test, then, otherwise);
        }

        Node or(int depth) {
            Node left = and(depth);
            while (word("or")) {
                left = new Or(left, and(depth));
            }
            return left;
        }

        Node and(int depth) {
            Node left = comparison(depth);
            while (word("and")) {
                left = new And(left, comparison(depth));
            }
            return left;
        }

        Node comparison(int depth) {
            Node left = unit(depth);
            if (symbol("!=")) {
                return new Equals(left, unit(depth), true);
            }
            if (symbol("=")) {
                return new Equals(left, unit(depth), false);
            }
            if (word("in")) {
                expect("[");
                Set<String> texts = new java.util.HashSet<>();
                if (!symbol("]")) {
                    do {
                        space();
                        texts.add(text());
                    } while (symbol(","));
                    expect("]");
                }
                return new In(left, Set.copyOf(texts));
            }
            return left;
        }

        Node unit(int depth) {
            space();
            if (atEnd()) {
                throw new NotOurs();
            }
            char c = s.charAt(at);
            if (c == '(') {
                at++;
                Node inner = expression(depth + 1);
                expect(")");
                return inner;
            }
            if (c == '"' || c == '\'') {
                return new Constant(text());
            }
            if (c == '$') {
                return function(depth);
            }
            if (word("true")) {
                return new Constant(Boolean.TRUE);
            }
            if (word("false")) {
                return new Constant(Boolean.FALSE);
            }
            return path();
        }

        /** A text literal without escapes (JSONata's escapes are left to JSONata). */
        String text() {
            char quote = at < s.length() ? s.charAt(at) : 0;
            if (quote != '"' && quote != '\'') {
                throw new NotOurs();
            }
            int end = s.indexOf(quote, at + 1);
            if (end < 0) {
                throw new NotOurs();
            }
            String t = s.substring(at + 1, end);
            if (t.indexOf('\\') >= 0) {
                throw new NotOurs();
            }
            at = end + 1;
            return t;
        }

        Node function(int depth) {
            at++; // the $
            String name = name();
            expect("(");
            Node result;
            switch (name) {
                case "type":
                    result = new Type(expression(depth + 1));
                    break;
                case "uppercase":
                case "lowercase":
                    result = new Case(expression(depth + 1), name.equals("uppercase"));
                    break;
                case "exists":
                    result = new Exists(path());
                    break;
                case "contains":
                    Node arg = expression(depth + 1);
                    expect(",");
                    space();
                    // text is found where it occurs, as JSONata's indexOf finds it
                    result = at < s.length() && (s.charAt(at) == '"' || s.charAt(at) == '\'')
                            ? new Contains(arg, text(), false) : regex(arg);
                    break;
                default:
                    throw new NotOurs();
            }
            expect(")");
            return result;
        }

        /**
         * {@code /literal/} or {@code /^literal/}, no flags, the literal of letters, digits, {@code _ : -} and the
         * escapes {@code \. \/ \-}: JSONata hands the text to java.util.regex, JavaScript would read it the
         * same, and either way it matches exactly where the plain text occurs (at the start, with the caret).
         */
        Node regex(Node arg) {
            if (at >= s.length() || s.charAt(at) != '/') {
                throw new NotOurs();
            }
            at++;
            boolean anchored = at < s.length() && s.charAt(at) == '^';
            if (anchored) {
                at++;
            }
            StringBuilder literal = new StringBuilder();
            while (at < s.length() && s.charAt(at) != '/') {
                char c = s.charAt(at);
                if (c == '\\') {
                    char next = at + 1 < s.length() ? s.charAt(at + 1) : 0;
                    if (next != '.' && next != '/' && next != '-') {
                        throw new NotOurs();
                    }
                    literal.append(next);
                    at += 2;
                } else if (namePart(c) || c == ':' || c == '-') {
                    literal.append(c);
                    at++;
                } else {
                    throw new NotOurs();
                }
            }
            if (at >= s.length() || literal.length() == 0) {
                throw new NotOurs();
            }
            at++; // the closing /; a flag after it (i, m) is left unread and fails the expected ')'
            return new Contains(arg, literal.toString(), anchored);
        }

        Path path() {
            List<String> names = new java.util.ArrayList<>();
            List<Integer> indexes = new java.util.ArrayList<>();
            do {
                space();
                String name = name();
                if (RESERVED.contains(name)) {
                    throw new NotOurs();
                }
                names.add(name);
                indexes.add(index());
            } while (dot());
            int[] index = new int[indexes.size()];
            for (int i = 0; i < index.length; i++) {
                index[i] = indexes.get(i);
            }
            return new Path(names.toArray(new String[0]), index);
        }

        /** A {@code .} between steps (not the start of a number or of {@code ..}). */
        private boolean dot() {
            int before = at;
            space();
            if (at < s.length() && s.charAt(at) == '.' && (at + 1 >= s.length() || s.charAt(at + 1) != '.')) {
                at++;
                return true;
            }
            at = before;
            return false;
        }

        /** {@code [n]} right after a step, n a plain non-negative integer; -1 without one. */
        private int index() {
            int before = at;
            space();
            if (at >= s.length() || s.charAt(at) != '[') {
                at = before;
                return -1;
            }
            at++;
            space();
            int start = at;
            while (at < s.length() && s.charAt(at) >= '0' && s.charAt(at) <= '9') {
                at++;
            }
            String digits = s.substring(start, at);
            if (digits.isEmpty() || digits.length() > 6 || (digits.length() > 1 && digits.charAt(0) == '0')) {
                throw new NotOurs();
            }
            expect("]");
            if (at < s.length() && s.charAt(at) == '[') {
                throw new NotOurs(); // a second predicate on the same step
            }
            return Integer.parseInt(digits);
        }

        private String name() {
            int start = at;
            if (at >= s.length() || !nameStart(s.charAt(at))) {
                throw new NotOurs();
            }
            while (at < s.length() && namePart(s.charAt(at))) {
                at++;
            }
            return s.substring(start, at);
        }

        private static boolean nameStart(char c) {
            return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
        }

        private static boolean namePart(char c) {
            return nameStart(c) || (c >= '0' && c <= '9');
        }
    }
}
