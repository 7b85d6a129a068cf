package dev.attributerelay.backfill;

import com.fasterxml.jackson.databind.JsonNode;
import dev.attributerelay.Delivery;
import dev.attributerelay.chartmogul.ChartMogulClient;
import dev.attributerelay.chartmogul.ChartMogulException;
import dev.attributerelay.chartmogul.Deadline;
import dev.attributerelay.DeliveryResult;
import dev.attributerelay.mapping.Hold;
import dev.attributerelay.queue.HeldQueue;
import dev.attributerelay.mapping.AttributeType;
import dev.attributerelay.mapping.AttributeUpdate;
import dev.attributerelay.mapping.CustomerRef;
import dev.attributerelay.mapping.Integration;
import dev.attributerelay.mapping.Mapper;
import dev.attributerelay.mapping.MappingResult;
import dev.attributerelay.mapping.TypedValue;
import dev.attributerelay.mapping.UnknownCustomerPolicy;
import dev.attributerelay.queue.UpdateQueue;
import dev.attributerelay.secrets.SecretsUnavailableException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a provider's existing customers page by page and feeds each through the integration's own rules, as the
 * webhook events that would carry its objects, with the read time as event time. A customer's objects make one
 * update (one PUT): the customer's own event first, then its current subscription's, so the current state
 * decides. References are resolved in bulk from ChartMogul's customer list and handed to {@link Delivery} as
 * customer uuids, so validation, applied state, held updates and the rate limiter are the webhooks' own.
 */
public final class Backfill {
    /** Tries of one customer while ChartMogul is unavailable, before the run stops (to be resumed). */
    static final int OUTAGE_TRIES = 4;

    private final Integration integration;
    private final Provider provider;
    private final ChartMogulClient client;
    private final Delivery delivery;
    private final UpdateQueue queue;
    private final HeldQueue held;
    private final Clock clock;
    private final ChartMogulClient.Sleeper sleeper;
    private final PrintStream out;
    private final CustomerIndex index;
    private Progress progress;

    /**
     * @param delivery the relay's delivery; null in a dry run or with a queue
     * @param queue    the update queue to send to instead of ChartMogul; null otherwise
     * @param held     where updates that cannot be applied are kept with their reasons (the relay's own)
     * @param out      where a dry run prints what would change
     */
    public Backfill(Integration integration, Provider provider, ChartMogulClient client, Delivery delivery, UpdateQueue queue,
                    HeldQueue held, Clock clock, ChartMogulClient.Sleeper sleeper, PrintStream out) {
        this.integration = integration;
        this.provider = provider;
        this.client = client;
        this.delivery = delivery;
        this.queue = queue;
        this.held = held;
        this.clock = clock;
        this.sleeper = sleeper;
        this.out = out;
        this.index = new CustomerIndex(client, clock);
    }

    /**
     * @param since     only customers created or changed since; null for all
     * @param limit     customers to handle in this run at most
     * @param stateFile where progress is kept; null for none (a stopped run then starts over)
     * @param report    where failed and held updates are named with their reasons
     */
    public record Settings(Instant since, long limit, Path stateFile, Path report) {
    }

    /**
     * How a run ended.
     *
     * @param stopped why it stopped before the end (the state file resumes it), or null
     */
    public record Result(Tally.Counts counts, boolean finished, String stopped, int chartMogulCalls, int providerCalls,
                  int listPages, boolean reportWritten) {
    }

    public Result run(Settings settings, Progress progress) throws IOException {
        this.progress = progress;
        String since = settings.since() == null ? null : settings.since().toString();
        BackfillState state = settings.stateFile() == null ? null : BackfillState.read(settings.stateFile());
        if (state == null) {
            state = BackfillState.start(integration.name(), since);
        } else if (!state.integration().equals(integration.name())) {
            throw new IllegalArgumentException(settings.stateFile() + " belongs to a backfill of integration '"
                    + state.integration() + "', not '" + integration.name() + "'");
        } else if (!java.util.Objects.equals(state.since(), since)) {
            throw new IllegalArgumentException(settings.stateFile() + " was started with --since "
                    + (state.since() == null ? "(none)" : state.since()) + "; resume with the same --since");
        }
        Tally tally = new Tally(state.counts());
        progress.start(state.counts());
        Report report = new Report(settings.report());
        int callsBefore = client.calls();
        if (state.finished()) {
            return result(tally, true, null, callsBefore, report);
        }
        long handled = 0;
        String cursor = state.cursor();
        Set<String> done = state.done();
        while (true) {
            Provider.Page page;
            try {
                page = provider.page(cursor, settings.since());
            } catch (ProviderException e) {
                return result(tally, false, e.getMessage(), callsBefore, report);
            }
            Instant readAt = clock.instant();
            for (Provider.Customer c : page.customers()) {
                if (done.contains(c.id())) {
                    continue;
                }
                if (handled >= settings.limit()) {
                    return result(tally, false, "--limit " + settings.limit() + " reached", callsBefore, report);
                }
                Tally.Counts counts;
                try {
                    counts = customer(c, readAt, report);
                } catch (Stop s) {
                    return result(tally, false, s.getMessage(), callsBefore, report);
                }
                tally.add(counts);
                handled++;
                state = state.withDone(c.id(), tally.counts());
                save(settings, state);
                progress.update(tally.counts(), provider.total());
            }
            state = state.nextPage(page.next(), tally.counts());
            save(settings, state);
            if (page.next() == null) {
                return result(tally, true, null, callsBefore, report);
            }
            cursor = page.next();
            done = Set.of();
        }
    }

    private Result result(Tally tally, boolean finished, String stopped, int callsBefore, Report report) {
        progress.done(tally.counts(), provider.total());
        return new Result(tally.counts(), finished, stopped, client.calls() - callsBefore, provider.calls(),
                index.pages(), report.written);
    }

    /** A dry run reads a state file (to preview what a resumed run would do) but never moves it on. */
    private void save(Settings settings, BackfillState state) throws IOException {
        if (settings.stateFile() != null && !dryRun()) {
            state.write(settings.stateFile());
        }
    }

    /** One customer: its events mapped, merged per ChartMogul customer, resolved from the list, sent. */
    private Tally.Counts customer(Provider.Customer c, Instant readAt, Report report) {
        long objects = 1 + c.subscriptions().size();
        Map<String, Merged> merged = new LinkedHashMap<>();
        long held = 0;
        for (Provider.Event e : provider.events(c, readAt)) {
            MappingResult m = Mapper.map(integration, e.payload(), e.headers(), "backfill-" + c.id(), readAt);
            for (Hold hold : m.holds()) {
                held++;
                if (dryRun()) {
                    out.println(c.id() + "\t" + String.join(",", hold.keys().isEmpty() ? List.of("-") : hold.keys())
                            + "\theld\t" + hold.message());
                } else {
                    keep(c.id(), hold, report);
                }
            }
            for (AttributeUpdate u : m.updates()) {
                merged.computeIfAbsent(u.customer().key(), k -> new Merged(u.customer())).attributes.putAll(u.attributes());
            }
        }
        Tally.Counts counts = new Tally.Counts(1, objects, 0, 0, held, 0, 0);
        if (merged.isEmpty()) {
            return held > 0 ? counts : counts.plus(new Tally.Counts(0, 0, 0, 0, 0, 0, 1));
        }
        for (Merged m : merged.values()) {
            CustomerIndex.Listed listed;
            try {
                listed = index.find(m.ref);
            } catch (ChartMogulException | SecretsUnavailableException e) {
                throw new Stop("cannot list ChartMogul's customers: " + e.getMessage());
            }
            CustomerRef ref = listed == null ? m.ref : new CustomerRef.Uuid(listed.uuid());
            AttributeUpdate update = new AttributeUpdate(integration.name(), ref, m.attributes, integration.source(),
                    "backfill-" + c.id() + "-" + readAt.toEpochMilli(), "backfill", readAt, 0);
            counts = counts.plus(dryRun() ? wouldDo(c.id(), update, listed) : send(c.id(), update, listed, report));
        }
        return counts;
    }

    private boolean dryRun() {
        return delivery == null && queue == null;
    }

    private Tally.Counts send(String id, AttributeUpdate update, CustomerIndex.Listed listed, Report report) {
        for (int attempt = 1; ; attempt++) {
            String outage;
            if (queue != null) {
                try {
                    queue.send(List.of(update), Deadline.in(Duration.ofSeconds(60), clock));
                    return sent();
                } catch (UpdateQueue.QueueUnavailableException e) {
                    outage = "the update queue is unavailable: " + e.getMessage();
                }
                waitOut(attempt, 5, outage);
                continue;
            }
            DeliveryResult r = delivery.deliver(integration, update, Deadline.in(Duration.ofSeconds(60), clock));
            if (r instanceof DeliveryResult.Applied) {
                return sent();
            }
            if (r instanceof DeliveryResult.Held h) {
                keep(id, h.hold(), report);
                return new Tally.Counts(0, 0, 0, 0, 1, 0, 0);
            }
            if (r instanceof DeliveryResult.Unchanged || r instanceof DeliveryResult.Stale) {
                return new Tally.Counts(0, 0, 0, 1, 0, 0, 0);
            }
            if (r instanceof DeliveryResult.Skipped) {
                return new Tally.Counts(0, 0, 0, 0, 0, 0, 1);
            }
            DeliveryResult.RetryLater u = (DeliveryResult.RetryLater) r;
            if (listed == null || u.awaitingCustomer()) {
                // a customer ChartMogul's list does not have: retrying within a backfill won't add it
                report.line(id, "failed", u.reason());
                return new Tally.Counts(0, 0, 0, 0, 0, 1, 0);
            }
            waitOut(attempt, u.afterSeconds(), u.reason());
        }
    }

    /** Puts a hold on the relay's held queue (for {@code replay --from}) and names it in the report. */
    private void keep(String id, Hold hold, Report report) {
        report.line(id, "held", hold.message());
        for (int attempt = 1; ; attempt++) {
            try {
                held.hold(List.of(hold), Deadline.in(Duration.ofSeconds(30), clock));
                return;
            } catch (HeldQueue.Unavailable e) {
                waitOut(attempt, 5, "the held queue is unavailable: " + e.getMessage());
            }
        }
    }

    /** ChartMogul (or the queue) unavailable: wait and retry the same customer, then stop so a rerun resumes. */
    private void waitOut(int attempt, int retryAfterSeconds, String why) {
        if (attempt >= OUTAGE_TRIES) {
            throw new Stop(why);
        }
        sleeper.sleep(Duration.ofSeconds(Math.max(1, Math.min(60, retryAfterSeconds) * attempt)));
    }

    private static Tally.Counts sent() {
        return new Tally.Counts(0, 0, 1, 0, 0, 0, 0);
    }

    /** A dry run: per attribute, would set (with the value), unchanged, or held, judged against ChartMogul's list. */
    private Tally.Counts wouldDo(String id, AttributeUpdate update, CustomerIndex.Listed listed) {
        if (listed == null) {
            UnknownCustomerPolicy p = integration.onUnknownCustomer();
            String what = "no single ChartMogul customer matches its " + kind(update.customer())
                    + " (on_unknown_customer: " + p.name().toLowerCase(java.util.Locale.ROOT) + ")";
            out.println(id + "\t-\t" + (p == UnknownCustomerPolicy.SKIP ? "skipped" : "held") + "\t" + what);
            return p == UnknownCustomerPolicy.SKIP ? new Tally.Counts(0, 0, 0, 0, 0, 0, 1)
                    : new Tally.Counts(0, 0, 0, 0, 1, 0, 0);
        }
        int changes = 0;
        for (Map.Entry<String, TypedValue> a : update.attributes().entrySet()) {
            JsonNode now = listed.custom() == null ? null : listed.custom().get(a.getKey());
            if (same(a.getValue(), now)) {
                out.println(id + "\t" + a.getKey() + "\tunchanged");
            } else {
                changes++;
                out.println(id + "\t" + a.getKey() + "\twould set\t" + a.getValue().value()
                        + (now == null || now.isNull() ? "" : "\t(now " + now.asText() + ")"));
            }
        }
        return changes > 0 ? sent() : new Tally.Counts(0, 0, 0, 1, 0, 0, 0);
    }

    /** Whether ChartMogul already holds this value (numbers by value, timestamps by instant). */
    static boolean same(TypedValue v, JsonNode now) {
        if (now == null || now.isNull() || v.value() == null) {
            return false;
        }
        try {
            if (v.type() == AttributeType.Integer || v.type() == AttributeType.Decimal) {
                return now.isNumber() || now.isTextual()
                        && new BigDecimal(now.asText()).compareTo(new BigDecimal(v.value().toString())) == 0;
            }
            if (v.type() == AttributeType.Boolean) {
                return now.isBoolean() && now.asBoolean() == (Boolean) v.value();
            }
            if (v.type() == AttributeType.Timestamp) {
                return Instant.parse(now.asText()).equals(Instant.parse((String) v.value()));
            }
        } catch (RuntimeException e) {
            return false;
        }
        return now.isTextual() && now.asText().equals(v.value());
    }

    private static String kind(CustomerRef ref) {
        return ref instanceof CustomerRef.Email ? "email" : ref instanceof CustomerRef.Uuid ? "uuid" : "external_id";
    }

    static URI withoutTrailingSlash(URI base) {
        String b = base.toString();
        return URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
    }

    /** The updates one customer's events make for one ChartMogul customer. */
    private static final class Merged {
        final CustomerRef ref;
        final Map<String, TypedValue> attributes = new LinkedHashMap<>();

        Merged(CustomerRef ref) {
            this.ref = ref;
        }
    }

    /** Failed and held updates, one line each: the provider's customer id, what happened, why. */
    private static final class Report {
        private final Path file;
        boolean written;

        Report(Path file) {
            this.file = file;
        }

        void line(String customerId, String what, String reason) {
            if (file == null) {
                return;
            }
            try {
                Files.writeString(file, customerId + "\t" + what + "\t" + reason.replace('\n', ' ') + "\n",
                        StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                written = true;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The run cannot go on now; the state file lets a later run resume at the customer it stopped on. */
    private static final class Stop extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stop(String message) {
            super(message, null, false, false);
        }
    }
}
