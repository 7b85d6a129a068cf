package dev.attributerelay.inbound;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Percent-decoding for query strings, path segments and form bodies, strictly: '+' is a space, {@code %XY} is one
 * byte written with two ASCII hex digits, and the bytes must be UTF-8. Not {@link java.net.URLDecoder}: it turns
 * invalid UTF-8 into U+FFFD silently and reads {@code %+1}, {@code %١١} and fullwidth digits as escapes, so two
 * different texts would decode to the same token or name.
 */
public final class PercentEncoding {
    private PercentEncoding() {
    }

    /** @throws IllegalArgumentException saying what is wrong: a malformed escape, or escapes that are not UTF-8 */
    public static String decode(String s) {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '%') {
                int hi = i + 2 < s.length() ? AsciiHex.digit(s.charAt(i + 1)) : -1;
                int lo = hi < 0 ? -1 : AsciiHex.digit(s.charAt(i + 2));
                if (lo < 0) {
                    throw new IllegalArgumentException("a malformed %-escape");
                }
                out.write((hi << 4) | lo);
                i += 3;
            } else if (c == '+') {
                out.write(' ');
                i++;
            } else {
                int end = i;
                while (end < s.length() && s.charAt(end) != '%' && s.charAt(end) != '+') {
                    end++;
                }
                out.writeBytes(s.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(out.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("%-escapes that are not UTF-8");
        }
    }

}
