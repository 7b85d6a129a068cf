package dev.attributerelay.local;

import dev.attributerelay.CustomerPseudonyms;
import dev.attributerelay.Wiring;
import dev.attributerelay.mapping.CustomerRef;
import dev.attributerelay.secrets.LocalSecretSource;
import dev.attributerelay.secrets.RelaySecrets;
import dev.attributerelay.secrets.SecretSource;
import dev.attributerelay.secrets.SecretsUnavailableException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code hash email <address>} / {@code hash external_id <id> [--data-source ds_…]}: the pseudonym the log lines
 * use for that customer, keyed by the same secrets the functions read, to search the logs for one customer.
 */
final class HashCommand {
    static final String USAGE = String.join("\n",
            "  hash email <address> | hash external_id <id> [--data-source <ds_uuid>] [--secrets <file>]",
            "      print the pseudonym log lines use for this customer (log lines never name an email or external",
            "      id in clear), keyed by the secrets' " + CustomerPseudonyms.KEY + " or, without one, by",
            "      chartmogul_api_key: search the logs (or the saved query) for it");

    private HashCommand() {
    }

    /** @return 0 printed, 64 usage, 78 the secrets hold no key to hash with, 69 they cannot be read */
    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) throws IOException {
        String kind = null;
        String value = null;
        String dataSource = null;
        String secretsFile = null;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--data-source") || a.equals("--secrets")) {
                if (i + 1 >= args.length) {
                    throw new Cli.UsageException(a + " needs a value");
                }
                if (a.equals("--data-source")) {
                    dataSource = args[++i];
                } else {
                    secretsFile = args[++i];
                }
            } else if (a.startsWith("--")) {
                throw new Cli.UsageException("unknown option " + a + " for hash");
            } else if (kind == null) {
                kind = a;
            } else if (value == null) {
                value = a;
            } else {
                throw new Cli.UsageException("hash takes one customer reference");
            }
        }
        if (value == null || !(kind.equals("email") || kind.equals("external_id"))) {
            throw new Cli.UsageException("hash needs email <address> or external_id <id>");
        }
        if (dataSource != null && kind.equals("email")) {
            throw new Cli.UsageException("--data-source narrows an external_id only");
        }
        if (secretsFile == null && env.get("RELAY_SECRETS") == null && env.get("CHARTMOGUL_SECRET_ID") == null) {
            throw new Cli.UsageException("hash needs the secrets: --secrets <file>, RELAY_SECRETS or CHARTMOGUL_SECRET_ID");
        }
        SecretSource source = secretsFile != null
                ? new LocalSecretSource(Files.readString(Path.of(secretsFile), StandardCharsets.UTF_8), "'" + secretsFile + "'")
                : Wiring.secretSource(env);
        String key;
        try {
            key = CustomerPseudonyms.keyOf(RelaySecrets.parse(source.read(), source.describe()));
        } catch (SecretsUnavailableException e) {
            err.println("the secrets cannot be read: " + e.getMessage());
            return 69;
        }
        if (key == null) {
            err.println("the secrets hold neither " + CustomerPseudonyms.KEY + " nor " + RelaySecrets.API_KEY
                    + ": the functions log customers under a key of each container only, which nothing can recompute");
            return 78;
        }
        CustomerRef ref = kind.equals("email") ? new CustomerRef.Email(value) : new CustomerRef.ExternalId(value, dataSource);
        String k = key;
        out.println(new CustomerPseudonyms(() -> k).of(ref.key()));
        return 0;
    }
}
