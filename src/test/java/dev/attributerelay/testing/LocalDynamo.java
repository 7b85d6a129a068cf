package dev.attributerelay.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;

/**
 * dynalite, a DynamoDB implementation on LevelDB (the npm package, kept in memory here), on 127.0.0.1 at a free
 * port. The first use in a test JVM installs it with {@code npm ci} from the committed lock file
 * (src/test/dynalite) into target/dynalite; the server stops when the JVM exits or {@link #stop} is called. Tables
 * are created from template.yaml's own declaration of the state table, so the tests use the key schema the stack
 * deploys.
 */
public final class LocalDynamo implements AutoCloseable {
    private static final Path SOURCE = Path.of("src", "test", "dynalite");
    private static final Path INSTALL = Path.of("target", "dynalite");
    private static final List<String> FILES = List.of("package.json", "package-lock.json", "server.js");
    private static final AtomicInteger NAMES = new AtomicInteger();
    private static LocalDynamo shared;

    private final Process process;
    private final URI endpoint;
    private final DynamoDbClient client;
    private boolean stopped;

    private LocalDynamo() {
        install();
        try {
            process = new ProcessBuilder("node", "server.js").directory(INSTALL.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new IllegalStateException("the DynamoDB tests need Node.js (node on the PATH) to run dynalite", e);
        }
        String line;
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            line = out.readLine();
        } catch (IOException e) {
            TestSupport.stop(process, 5);
            throw new UncheckedIOException(e);
        }
        if (line == null || !line.startsWith("dynalite listening on port ")) {
            TestSupport.stop(process, 5);
            throw new IllegalStateException("dynalite did not start: " + line);
        }
        endpoint = URI.create("http://127.0.0.1:" + line.substring("dynalite listening on port ".length()).trim());
        client = DynamoDbClient.builder().endpointOverride(endpoint).region(Region.EU_WEST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    /** One server for the whole test JVM; tests keep apart by table names. */
    public static synchronized LocalDynamo shared() {
        if (shared == null || shared.stopped) {
            shared = new LocalDynamo();
            LocalDynamo started = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "dynalite-stop"));
        }
        return shared;
    }

    /** A server of the caller's own, to stop (the "DynamoDB unavailable" fault) without disturbing other tests. */
    public static LocalDynamo own() {
        return new LocalDynamo();
    }

    public URI endpoint() {
        return endpoint;
    }

    public DynamoDbClient client() {
        return client;
    }

    /** A new table with template.yaml's key schema for the state table, on-demand. */
    public String createStateTable() {
        String name = "relay-state-" + NAMES.incrementAndGet();
        JsonNode properties = stateTableDeclaration();
        List<AttributeDefinition> attributes = new ArrayList<>();
        for (JsonNode a : properties.path("AttributeDefinitions")) {
            attributes.add(AttributeDefinition.builder().attributeName(a.path("AttributeName").asText())
                    .attributeType(a.path("AttributeType").asText()).build());
        }
        List<KeySchemaElement> keys = new ArrayList<>();
        for (JsonNode k : properties.path("KeySchema")) {
            keys.add(KeySchemaElement.builder().attributeName(k.path("AttributeName").asText())
                    .keyType(k.path("KeyType").asText()).build());
        }
        client.createTable(b -> b.tableName(name).attributeDefinitions(attributes).keySchema(keys)
                .billingMode(BillingMode.fromValue(properties.path("BillingMode").asText())));
        client.waiter().waitUntilTableExists(b -> b.tableName(name));
        return name;
    }

    /** The environment a deployed function would have for this table, with this server as DynamoDB's endpoint. */
    public Map<String, String> env(String table) {
        return Map.of("RELAY_STATE_TABLE", table, "AWS_ENDPOINT_URL_DYNAMODB", endpoint.toString(),
                "AWS_REGION", "eu-west-1", "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test");
    }

    /** template.yaml's Resources.StateTable.Properties. */
    public static JsonNode stateTableDeclaration() {
        try {
            JsonNode template = CloudFormationYaml.read(Files.readString(Path.of("template.yaml")));
            JsonNode properties = template.path("Resources").path("StateTable").path("Properties");
            if (properties.isMissingNode()) {
                throw new IllegalStateException("template.yaml declares no Resources.StateTable");
            }
            return properties;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        client.close();
        try {
            process.getOutputStream().close(); // server.js exits when its stdin closes
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                TestSupport.stop(process, 5);
            }
        } catch (IOException e) {
            TestSupport.stop(process, 5);
        } catch (InterruptedException e) {
            TestSupport.stop(process, 5);
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (this != shared) {
            stop();
        }
    }

    /** npm ci from the committed lock file, once: again only when the lock file changed. */
    private static synchronized void install() {
        try {
            Path marker = INSTALL.resolve("node_modules").resolve(".installed-lock.json");
            byte[] lock = Files.readAllBytes(SOURCE.resolve("package-lock.json"));
            if (Files.exists(marker) && java.util.Arrays.equals(Files.readAllBytes(marker), lock)) {
                Files.copy(SOURCE.resolve("server.js"), INSTALL.resolve("server.js"), StandardCopyOption.REPLACE_EXISTING);
                return;
            }
            Files.createDirectories(INSTALL);
            for (String f : FILES) {
                Files.copy(SOURCE.resolve(f), INSTALL.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            }
            // --ignore-scripts: dynalite runs in memory here, so no native LevelDB build is needed
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts")
                    .directory(INSTALL.toFile()).redirectErrorStream(true).start();
            String log = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0) {
                TestSupport.stop(npm, 5);
                throw new IllegalStateException("npm ci of dynalite (src/test/dynalite) failed: " + log);
            }
            Files.write(marker, lock);
        } catch (IOException e) {
            throw new IllegalStateException("the DynamoDB tests need Node.js and npm (with the npm registry reachable "
                    + "on the first run) to install dynalite", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while installing dynalite", e);
        }
    }
}
