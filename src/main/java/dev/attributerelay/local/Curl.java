package dev.attributerelay.local;

import java.util.Map;

/** A curl command line for a signed request, quoted for a POSIX shell. */
final class Curl {
    private Curl() {
    }

    /** The body is sent from its file byte for byte ({@code --data-binary @file}), as it was signed. */
    static String command(String url, Map<String, String> headers, String bodyFile) {
        StringBuilder sb = new StringBuilder("curl -sS -X POST ").append(quote(url));
        headers.forEach((k, v) -> sb.append(" \\\n  -H ").append(quote(k + ": " + v)));
        return sb.append(" \\\n  --data-binary ").append(quote("@" + bodyFile)).toString();
    }

    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
