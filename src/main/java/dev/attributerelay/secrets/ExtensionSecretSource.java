package dev.attributerelay.secrets;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * The secret through the AWS Parameters and Secrets Lambda Extension: a plain-HTTP GET to the extension's loopback
 * server, which makes the signed {@code GetSecretValue} call itself. On a cold start this spares the AWS SDK's
 * client (about a thousand classes) and its first call; the SDK source stays the fallback for whenever the
 * extension is absent or answers anything but the secret, built only then.
 *
 * <p>The extension answers during invocations only, not during init (its documentation says so), so nothing
 * prepares or prefetches through it.
 */
public final class ExtensionSecretSource implements SecretSource {
    /** The header the extension requires, holding the function's session token (its guard against SSRF). */
    static final String TOKEN_HEADER = "X-Aws-Parameters-Secrets-Token";
    /** Loopback: a listening extension accepts at once; a longer wait means it is not there. */
    static final Duration CONNECT_TIMEOUT = Duration.ofMillis(250);
    private static final JsonFactory JSON = new JsonFactory();
    private static final int MAX_BODY = 1 << 20;

    private final URI endpoint;
    private final String secretId;
    private final String token;
    private final SecretSource fallback;

    /**
     * @param endpoint the extension's base URL, {@code http://localhost:PORT}
     * @param token    the function's {@code AWS_SESSION_TOKEN}
     * @param fallback read when the extension gives no secret (the SDK source, which builds its client lazily)
     */
    public ExtensionSecretSource(URI endpoint, String secretId, String token, SecretSource fallback) {
        this.endpoint = endpoint;
        this.secretId = secretId;
        this.token = token;
        this.fallback = fallback;
    }

    /**
     * The extension when the environment names it and allows it, else null. Named: its port variable
     * {@code PARAMETERS_SECRETS_EXTENSION_HTTP_PORT} is set (template.yaml sets it with the layer), so a function
     * without the layer keeps reading through the SDK at init. Allowed: the request needs the session token from
     * the environment, which a SnapStart function does not have (its credentials come from an endpoint and
     * change at restore).
     */
    public static SecretSource fromEnvironment(Map<String, String> env, String secretId, SecretSource fallback) {
        String token = env.get("AWS_SESSION_TOKEN");
        String p = env.get("PARAMETERS_SECRETS_EXTENSION_HTTP_PORT");
        if (p == null || p.isBlank() || token == null || token.isBlank()
                || "snap-start".equals(env.get("AWS_LAMBDA_INITIALIZATION_TYPE"))) {
            return null;
        }
        int port;
        try {
            port = Integer.parseInt(p.trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("PARAMETERS_SECRETS_EXTENSION_HTTP_PORT must be a port number, not '"
                    + p + "'");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalStateException("PARAMETERS_SECRETS_EXTENSION_HTTP_PORT must be 1-65535");
        }
        return new ExtensionSecretSource(URI.create("http://localhost:" + port), secretId, token.trim(), fallback);
    }

    @Override
    public String read() {
        return read(SecretsManagerSource.API_CALL_TIMEOUT);
    }

    @Override
    public String read(Duration timeout) {
        long start = System.nanoTime();
        String value = viaExtension(timeout);
        if (value != null) {
            return value;
        }
        Duration left = timeout.minusNanos(System.nanoTime() - start);
        if (left.isNegative() || left.isZero()) {
            throw new SecretsUnavailableException("secret " + describe() + " could not be read in time");
        }
        return fallback.read(left);
    }

    /** The secret's text, or null when the extension is not there or gave anything else (the fallback decides). */
    private String viaExtension(Duration timeout) {
        HttpURLConnection c = null;
        try {
            URI uri = URI.create(endpoint + "/secretsmanager/get?secretId="
                    + URLEncoder.encode(secretId, StandardCharsets.UTF_8));
            c = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
            c.setConnectTimeout(millis(timeout.compareTo(CONNECT_TIMEOUT) < 0 ? timeout : CONNECT_TIMEOUT));
            c.setReadTimeout(millis(timeout));
            c.setUseCaches(false);
            c.setRequestProperty(TOKEN_HEADER, token);
            if (c.getResponseCode() != 200) {
                drain(c.getErrorStream());
                return null;
            }
            try (InputStream in = c.getInputStream()) {
                return secretString(readBounded(in));
            }
        } catch (IOException | RuntimeException e) {
            return null;
        } finally {
            if (c != null) {
                c.disconnect();
            }
        }
    }

    /** GetSecretValue's answer as JSON: {@code SecretString}, or null (a binary secret, or no such field). */
    static String secretString(byte[] body) throws IOException {
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                if ("SecretString".equals(name) && t == JsonToken.VALUE_STRING) {
                    return p.getText();
                }
                p.skipChildren();
            }
            return null;
        }
    }

    private static byte[] readBounded(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) > 0) {
            if (out.size() + n > MAX_BODY) {
                throw new IOException("answer too large");
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    private static void drain(InputStream in) throws IOException {
        if (in != null) {
            try (in) {
                in.readNBytes(MAX_BODY);
            }
        }
    }

    private static int millis(Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
    }

    @Override
    public String describe() {
        return "'" + secretId + "'";
    }

    /** Nothing to build ahead for the extension; the fallback's client is built only if it is needed. */
    @Override
    public void prepare() {
    }

    /** False: the extension cannot be asked during init, so an init reads nothing through this source. */
    @Override
    public boolean readableAtInit() {
        return false;
    }
}
