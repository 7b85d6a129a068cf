package dev.attributerelay.inbound;

/**
 * ASCII hex digits only. Not {@link Character#digit}: that also reads Arabic-Indic, Devanagari, fullwidth and other
 * Unicode digits, so a signature or a %-escape spelled in them would be accepted as if written in ASCII.
 */
public final class AsciiHex {
    private AsciiHex() {
    }

    /** The digit's value, or -1 when the character is not 0-9, a-f or A-F. */
    public static int digit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
