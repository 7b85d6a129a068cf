package dev.attributerelay;

import dev.attributerelay.chartmogul.ChartMogulClient;
import dev.attributerelay.chartmogul.ChartMogulException;
import dev.attributerelay.chartmogul.Deadline;
import dev.attributerelay.mapping.AttributeUpdate;
import dev.attributerelay.mapping.CustomerRef;
import dev.attributerelay.mapping.Hold;
import dev.attributerelay.mapping.HoldReason;
import dev.attributerelay.mapping.Integration;
import dev.attributerelay.mapping.TypedValue;
import dev.attributerelay.resolve.CustomerResolver;
import dev.attributerelay.resolve.Resolution;
import dev.attributerelay.secrets.RelaySecrets;
import dev.attributerelay.secrets.SecretsUnavailableException;
import dev.attributerelay.state.AppliedState;
import dev.attributerelay.state.Guard;
import dev.attributerelay.state.StateUnavailableException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Resolves one update's customer and sends what applied state lets through (newer and changed), turning every failure
 * into an outcome. The write happens under the customer's lease (state/AppliedState), so no two containers write one
 * customer at once. What it comes to is a {@link DeliveryResult}, which each transport maps to its own answer.
 */
public final class Delivery {
    /** What a caller is told when the secrets cannot be read: nothing of which secret, or why. */
    public static final String SECRETS_UNREADABLE = "the relay's secrets cannot be read now; the relay's log says why";

    /** How long a sender should wait before redelivering an update whose customer ChartMogul lacks. */
    static final int UNKNOWN_CUSTOMER_RETRY_SECONDS = 60;

    private final CustomerResolver resolver;
    private final ChartMogulClient client;
    private final AppliedState state;
    private final AtomicInteger staleDrops = new AtomicInteger();

    public Delivery(CustomerResolver resolver, ChartMogulClient client, AppliedState state) {
        this.resolver = resolver;
        this.client = client;
        this.state = state;
    }

    /** Attribute values dropped so far because a newer event had already set them. */
    public int staleDrops() {
        return staleDrops.get();
    }

    public DeliveryResult deliver(Integration integration, AttributeUpdate update, Deadline deadline) {
        return deliver(integration, update, timesOf(update), deadline);
    }

    /** @param times each attribute's event time, for an update coalesced from several events */
    public DeliveryResult deliver(Integration integration, AttributeUpdate update, Map<String, Instant> times, Deadline deadline) {
        try {
            return send(integration, update, times, deadline, true);
        } catch (SecretsUnavailableException e) {
            // the answer names nothing of the secret; the log line's detail says which and how
            return new DeliveryResult.RetryLater(30, SECRETS_UNREADABLE, false, e.getMessage());
        } catch (StateUnavailableException e) {
            return new DeliveryResult.RetryLater(e.retryAfterSeconds(), e.getMessage());
        } catch (ChartMogulException e) {
            return failed(e, update);
        }
    }

    /** Every attribute of an update at the update's own event time. */
    public static Map<String, Instant> timesOf(AttributeUpdate update) {
        Map<String, Instant> times = new LinkedHashMap<>();
        update.attributes().keySet().forEach(k -> times.put(k, update.eventTime()));
        return times;
    }

    private DeliveryResult send(Integration integration, AttributeUpdate update, Map<String, Instant> times, Deadline deadline,
                         boolean mayResolveAgain) {
        Resolution r = resolver.resolve(update.customer(), deadline);
        if (r instanceof Resolution.Ambiguous a) {
            return held(update, HoldReason.AMBIGUOUS_CUSTOMER, (a.more() ? "more than " + a.uuids().size()
                    : Integer.toString(a.uuids().size())) + " ChartMogul customers match " + describe(update)
                    + "; name the data_source_uuid in the rule so exactly one matches");
        }
        if (r instanceof Resolution.NotFound) {
            return unknownCustomer(integration, update);
        }
        Resolution.Found found = (Resolution.Found) r;
        AppliedState.Lease lease = state.lease(found.uuid(), update.attributes(), times, integration.skipUnchanged(),
                deadline);
        Guard.Plan plan = lease.plan();
        if (plan.send().isEmpty()) {
            // nothing to send; recording moves unchanged values' times forward, so an older event stays stale
            if (!lease.written(update.eventId(), integration.name(), deadline)) {
                return leaseLost();
            }
            countStale(plan);
            return ignored(plan);
        }
        try {
            write(integration, found.uuid(), plan.send(), update.source(), deadline);
        } catch (ChartMogulException e) {
            if (e.status() == 404 && found.fromCache() && mayResolveAgain) {
                lease.notWritten(deadline);
                // customers merge; the cached uuid may be the one that went away
                resolver.forget(update.customer(), deadline);
                return send(integration, update, times, deadline, false);
            }
            // no answer, a 5xx, or a retry's last answer after one of those: the PUT may still land. A rejected
            // key (401/403) was never applied
            if (e.mayPass() && e.status() != 401 && e.status() != 403) {
                lease.inDoubt(update.eventId(), integration.name(), deadline);
            } else {
                lease.notWritten(deadline);
            }
            if (e.status() == 400 || e.status() == 422) {
                return held(update, HoldReason.UNDEFINED_ATTRIBUTE, "ChartMogul refused the update for "
                        + describe(update) + ": " + e.getMessage() + " — an attribute may not be defined in ChartMogul"
                        + " yet: define it there, or set create_missing_attributes: true" + requestId(e));
            }
            throw e;
        } catch (RuntimeException e) {
            lease.abandon(deadline); // the API key could not be read: nothing was sent
            throw e;
        }
        if (!lease.written(update.eventId(), integration.name(), deadline)) {
            return leaseLost();
        }
        countStale(plan);
        return applied();
    }

    /** PUT; when an attribute is undefined and the integration may create it, POST. */
    private void write(Integration integration, String uuid, Map<String, TypedValue> values, String source,
                       Deadline deadline) {
        try {
            client.updateAttributes(uuid, values, source, deadline);
        } catch (ChartMogulException e) {
            if ((e.status() == 400 || e.status() == 422) && integration.createMissingAttributes()) {
                client.addAttributes(uuid, values, source, deadline);
                return;
            }
            throw e;
        }
    }

    private void countStale(Guard.Plan plan) {
        staleDrops.addAndGet(plan.stale().size());
    }

    private static DeliveryResult ignored(Guard.Plan plan) {
        if (plan.unchanged().isEmpty()) {
            return new DeliveryResult.Stale("stale: a newer event already set " + String.join(", ", plan.stale())
                    + " for this customer; nothing older is written over it");
        }
        return new DeliveryResult.Unchanged("unchanged: ChartMogul already has these values of "
                + String.join(", ", plan.unchanged()) + "; nothing was sent"
                + (plan.stale().isEmpty() ? "" : " (stale, a newer event already set " + String.join(", ", plan.stale())
                + ")"));
    }

    /** The write outlasted the customer's lease: another delivery may have written since, so the sender retries. */
    private static DeliveryResult leaseLost() {
        return new DeliveryResult.RetryLater(2, "the update was sent, but took longer than this customer's lease allowed; "
                + "redeliver so the newest value is confirmed");
    }

    private static DeliveryResult unknownCustomer(Integration integration, AttributeUpdate update) {
        String what = "no ChartMogul customer matches " + describe(update);
        switch (integration.onUnknownCustomer()) {
            case SKIP:
                return new DeliveryResult.Skipped(what + "; skipped (on_unknown_customer: skip)");
            case HOLD:
                return held(update, HoldReason.UNKNOWN_CUSTOMER, what + " (on_unknown_customer: hold)");
            default:
                return new DeliveryResult.RetryLater(UNKNOWN_CUSTOMER_RETRY_SECONDS,
                        what + " yet; redeliver later (on_unknown_customer: retry)", true);
        }
    }

    private static DeliveryResult failed(ChartMogulException e, AttributeUpdate update) {
        if (e.mayPass()) {
            if (e.status() == 401 || e.status() == 403) {
                // the caller learns the relay is not ready; which key of the secret to fix is for the log
                return new DeliveryResult.RetryLater(e.retryAfterSeconds(), "ChartMogul rejected the relay's credentials"
                        + " (HTTP " + e.status() + "); the relay's log says what to fix", false,
                        "check " + RelaySecrets.API_KEY + " in the secret" + requestId(e));
            }
            return new DeliveryResult.RetryLater(e.retryAfterSeconds(), "ChartMogul is unavailable: " + e.getMessage()
                    + requestId(e));
        }
        return held(update, HoldReason.REFUSED, "ChartMogul refused the update for " + describe(update) + ": "
                + e.getMessage() + requestId(e));
    }

    private static DeliveryResult held(AttributeUpdate update, HoldReason reason, String message) {
        return new DeliveryResult.Held(Hold.of(update, reason, message));
    }

    private static DeliveryResult applied() {
        return new DeliveryResult.Applied(1);
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
