package dev.attributerelay.mapping;

import dev.attributerelay.verify.SignatureScheme;
import dev.attributerelay.verify.VerifySpec;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * One key under {@code integrations:}, compiled: its verifier built and its expressions parsed.
 *
 * @param name                     the path segment after {@code /webhooks/}
 * @param source                   the label sent with every attribute
 * @param verify                   the {@code verify:} block as written
 * @param verifier                 the scheme that checks deliveries
 * @param eventbridgeSource        EventBridge events whose source starts with this go through these rules; may be null
 * @param createMissingAttributes  create (POST) an attribute ChartMogul does not know yet
 * @param onUnknownCustomer        what to do when the customer is not in ChartMogul
 * @param maxBodyBytes             bigger bodies answer 413
 * @param respondWithin            the response budget: how long the sender waits for an answer, from when API
 *                                 Gateway received the request
 * @param event                    where the event id, type and time are in the payload
 * @param rules                    preset rules first, then the integration's own
 * @param skipUnchanged            leave values equal to the newest applied ones out of the PUT ({@code skip_unchanged})
 * @param backfill                 the {@code backfill:} block, or null when the integration has none
 */
public record Integration(
        String name,
        String source,
        VerifySpec verify,
        SignatureScheme verifier,
        String eventbridgeSource,
        boolean createMissingAttributes,
        UnknownCustomerPolicy onUnknownCustomer,
        long maxBodyBytes,
        Duration respondWithin,
        EventFields event,
        List<Rule> rules,
        boolean skipUnchanged,
        BackfillSpec backfill) {

    public static final long DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
    /** The budget of an integration whose preset and scheme name none. */
    public static final Duration DEFAULT_RESPOND_WITHIN = Duration.ofSeconds(10);

    public Integration {
        rules = List.copyOf(rules);
    }

    /** Without a {@code backfill:} block. */
    public Integration(String name, String source, VerifySpec verify, SignatureScheme verifier, String eventbridgeSource,
                       boolean createMissingAttributes, UnknownCustomerPolicy onUnknownCustomer, long maxBodyBytes,
                       Duration respondWithin, EventFields event, List<Rule> rules, boolean skipUnchanged) {
        this(name, source, verify, verifier, eventbridgeSource, createMissingAttributes, onUnknownCustomer, maxBodyBytes,
                respondWithin, event, rules, skipUnchanged, null);
    }

    /** With {@code skip_unchanged} at its default, on, and no {@code backfill:} block. */
    public Integration(String name, String source, VerifySpec verify, SignatureScheme verifier, String eventbridgeSource,
                       boolean createMissingAttributes, UnknownCustomerPolicy onUnknownCustomer, long maxBodyBytes,
                       Duration respondWithin, EventFields event, List<Rule> rules) {
        this(name, source, verify, verifier, eventbridgeSource, createMissingAttributes, onUnknownCustomer, maxBodyBytes,
                respondWithin, event, rules, true);
    }

    /** With the default response budget, {@code skip_unchanged} on and no {@code backfill:} block. */
    public Integration(String name, String source, VerifySpec verify, SignatureScheme verifier, String eventbridgeSource,
                       boolean createMissingAttributes, UnknownCustomerPolicy onUnknownCustomer, long maxBodyBytes,
                       EventFields event, List<Rule> rules) {
        this(name, source, verify, verifier, eventbridgeSource, createMissingAttributes, onUnknownCustomer, maxBodyBytes,
                DEFAULT_RESPOND_WITHIN, event, rules, true, null);
    }

    /** Every expression of the integration: its event fields', then each rule's. */
    public Stream<Expression> expressions() {
        Stream<Expression> fields = event == null ? Stream.empty()
                : Stream.of(event.id(), event.type(), event.time());
        Stream<Expression> ofRules = rules.stream().flatMap(r -> Stream.concat(
                Stream.of(r.when(), r.each(), r.customer() == null ? null : r.customer().value()),
                r.attributes().stream().map(Rule.AttributeSpec::value)));
        return Stream.concat(fields, ofRules).filter(Objects::nonNull);
    }

    /** Expressions that find the provider's event id, type and time; any may be null. */
    public record EventFields(Expression id, Expression type, Expression time) {
    }
}
