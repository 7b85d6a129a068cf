package dev.attributerelay;

import dev.attributerelay.chartmogul.ChartMogulClient;
import dev.attributerelay.chartmogul.ChartMogulException;
import dev.attributerelay.chartmogul.Deadline;
import dev.attributerelay.inbound.Failure;
import dev.attributerelay.inbound.Outcome;
import dev.attributerelay.mapping.AttributeUpdate;
import dev.attributerelay.mapping.CustomerRef;
import dev.attributerelay.mapping.Integration;
import dev.attributerelay.mapping.TypedValue;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import dev.attributerelay.resolve.CustomerResolver;
import dev.attributerelay.resolve.Resolution;
import dev.attributerelay.secrets.RelaySecrets;
import dev.attributerelay.secrets.SecretsUnavailableException;

/** Resolves one update's customer and sends its attributes, turning every failure into an outcome. */
public final class Delivery {
    /** How long a sender should wait before redelivering an update whose customer ChartMogul lacks. */
    static final int UNKNOWN_CUSTOMER_RETRY_SECONDS = 60;

    private final CustomerResolver resolver;
    private final ChartMogulClient client;
    private final AppliedMemory applied;
    private final AtomicInteger staleDrops = new AtomicInteger();

    public Delivery(CustomerResolver resolver, ChartMogulClient client, AppliedMemory applied) {
        this.resolver = resolver;
        this.client = client;
        this.applied = applied;
    }

    /** Attribute values dropped so far because a newer event had already set them. */
    public int staleDrops() {
        return staleDrops.get();
    }

    public Outcome deliver(Integration integration, AttributeUpdate update, Deadline deadline) {
        return deliver(integration, update, AppliedMemory.timesOf(update), deadline);
    }

    /** @param times each attribute's event time, for an update coalesced from several events */
    public Outcome deliver(Integration integration, AttributeUpdate update, Map<String, Instant> times, Deadline deadline) {
        try {
            return send(integration, update, times, deadline, true);
        } catch (SecretsUnavailableException e) {
            return Relay.secretsUnavailable(e);
        } catch (ChartMogulException e) {
            return failed(e, update);
        }
    }

    private Outcome send(Integration integration, AttributeUpdate update, Map<String, Instant> times, Deadline deadline,
                         boolean mayResolveAgain) {
        Resolution r = resolver.resolve(update.customer(), deadline);
        if (r instanceof Resolution.Ambiguous a) {
            return new Outcome.Rejected(Failure.UNPROCESSABLE, (a.more() ? "more than " + a.uuids().size()
                    : Integer.toString(a.uuids().size())) + " ChartMogul customers match " + describe(update)
                    + "; name the data_source_uuid in the rule so exactly one matches");
        }
        if (r instanceof Resolution.NotFound) {
            return unknownCustomer(integration, update);
        }
        Resolution.Found found = (Resolution.Found) r;
        Map<String, TypedValue> fresh = applied.fresh(found.uuid(), update.attributes(), times);
        int stale = update.attributes().size() - fresh.size();
        if (stale > 0) {
            staleDrops.addAndGet(stale);
        }
        if (fresh.isEmpty()) {
            return new Outcome.Ignored("stale: a newer event already set " + String.join(", ", update.attributes().keySet())
                    + " for this customer; nothing older is written over it");
        }
        try {
            client.updateAttributes(found.uuid(), fresh, update.source(), deadline);
            applied.remember(found.uuid(), fresh.keySet(), times);
            return applied();
        } catch (ChartMogulException e) {
            if (e.status() == 404 && found.fromCache() && mayResolveAgain) {
                // customers merge; the cached uuid may be the one that went away
                resolver.forget(update.customer());
                return send(integration, update, times, deadline, false);
            }
            if ((e.status() == 400 || e.status() == 422) && integration.createMissingAttributes()) {
                client.addAttributes(found.uuid(), fresh, update.source(), deadline);
                applied.remember(found.uuid(), fresh.keySet(), times);
                return applied();
            }
            if (e.status() == 400 || e.status() == 422) {
                return new Outcome.Rejected(Failure.UNPROCESSABLE, "ChartMogul refused the update for "
                        + describe(update) + ": " + e.getMessage() + " — an attribute may not be defined in ChartMogul"
                        + " yet: define it there, or set create_missing_attributes: true" + requestId(e));
            }
            throw e;
        }
    }

    private static Outcome unknownCustomer(Integration integration, AttributeUpdate update) {
        String what = "no ChartMogul customer matches " + describe(update);
        switch (integration.onUnknownCustomer()) {
            case SKIP:
                return new Outcome.Ignored(what + "; skipped (on_unknown_customer: skip)");
            case REJECT:
                return new Outcome.Rejected(Failure.UNPROCESSABLE, what + " (on_unknown_customer: reject)");
            default:
                return new Outcome.Unavailable(what + " yet; redeliver later (on_unknown_customer: retry)",
                        UNKNOWN_CUSTOMER_RETRY_SECONDS);
        }
    }

    private static Outcome failed(ChartMogulException e, AttributeUpdate update) {
        if (e.mayPass()) {
            if (e.status() == 401 || e.status() == 403) {
                // the caller learns the relay is not ready; which key of the secret to fix is for the log
                return new Outcome.Unavailable("ChartMogul rejected the relay's credentials (HTTP " + e.status()
                        + "); the relay's log says what to fix", e.retryAfterSeconds(),
                        "check " + RelaySecrets.API_KEY + " in the secret" + requestId(e));
            }
            return new Outcome.Unavailable("ChartMogul is unavailable: " + e.getMessage() + requestId(e),
                    e.retryAfterSeconds());
        }
        return new Outcome.Rejected(Failure.UNPROCESSABLE, "ChartMogul refused the update for " + describe(update)
                + ": " + e.getMessage() + requestId(e));
    }

    private static Outcome applied() {
        return new Outcome.Applied(1, "1 update applied");
    }

    /** Names the customer reference by kind only: the caller already knows the value it sent. */
    private static String describe(AttributeUpdate update) {
        if (update.customer() instanceof CustomerRef.Uuid) {
            return "the customer uuid";
        }
        return update.customer() instanceof CustomerRef.Email ? "the customer email" : "the customer external_id";
    }

    private static String requestId(ChartMogulException e) {
        return e.requestId() == null ? "" : " (ChartMogul request id " + e.requestId() + ")";
    }
}
