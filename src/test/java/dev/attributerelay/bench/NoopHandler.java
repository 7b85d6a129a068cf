package dev.attributerelay.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The floor the cold-start benchmark compares the relay with: a stream handler that reads the event and
 * answers {@code {}}. It runs in the same JVM, under the same runtime interface client and Runtime API as the
 * relay, so the difference between the two is what the relay itself costs.
 */
public final class NoopHandler implements RequestStreamHandler {
    private static final byte[] EMPTY_OBJECT = {'{', '}'};

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        input.readAllBytes();
        output.write(EMPTY_OBJECT);
    }
}
