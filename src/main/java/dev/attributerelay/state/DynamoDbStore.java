package dev.attributerelay.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.attributerelay.Json;
import dev.attributerelay.aws.AwsJsonClient;
import dev.attributerelay.aws.AwsReply;
import dev.attributerelay.chartmogul.Deadline;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Applied state in the DynamoDB table RELAY_STATE_TABLE (template.yaml declares it: one string hash key {@code pk}).
 * As powertools' idempotency store does, every write is one conditional UpdateItem and a failed condition is an
 * answer (the lease is someone else's), not an error. The calls go over DynamoDB's JSON protocol
 * ({@link AwsJsonClient}); numbers travel as DynamoDB writes them, as text.
 *
 * <p>Items: {@code customer#<uuid>} holds the lease ({@code lease_owner}, {@code lease_until}, {@code settling})
 * and one map {@code a_<key>} per attribute; {@code ref#<sha-256 of the reference>} holds a resolution
 * ({@code uuid}, {@code resolved_until}) and a lookup lease. References are stored hashed: the table never holds a
 * customer's email. {@code expires_at} (epoch seconds) is the table's TTL attribute.
 */
public final class DynamoDbStore implements StateStore {
    /** How long a customer's applied state outlives its last write: past any provider's redelivery. */
    static final Duration KEEP = Duration.ofDays(400);
    /** The longest one DynamoDB call (its retries included) may take, deadline permitting. */
    private static final Duration MAX_CALL = Duration.ofSeconds(3);
    private static final String ATTRIBUTE_PREFIX = "a_";
    /** A conditional write's refusal: an answer (the lease or lookup is someone else's), not an error. */
    private static final String CONDITION_FAILED = "ConditionalCheckFailedException";

    private final Supplier<AwsJsonClient> client;
    private final String table;
    private volatile AwsJsonClient built;

    /** @param client built on first use, once: a cold start that never touches state pays nothing for it */
    public DynamoDbStore(Supplier<AwsJsonClient> client, String table) {
        this.client = client;
        this.table = table;
    }

    public String table() {
        return table;
    }

    @Override
    public Leased tryLease(String customerUuid, String owner, Instant now, Instant until, Deadline deadline) {
        JsonNode r = update(deadline, "customer#" + customerUuid, b -> {
            b.put("UpdateExpression", "SET lease_owner = :o, lease_until = :u, expires_at = :e REMOVE settling");
            b.put("ConditionExpression", "attribute_not_exists(lease_until) OR lease_until < :now");
            ObjectNode v = b.putObject("ExpressionAttributeValues");
            v.set(":o", s(owner));
            v.set(":u", n(until.toEpochMilli()));
            v.set(":now", n(now.toEpochMilli()));
            v.set(":e", n(now.plus(KEEP).getEpochSecond()));
            b.put("ReturnValues", "ALL_OLD");
        });
        if (r == null) {
            return null;
        }
        JsonNode old = r.path("Attributes");
        boolean unsettled = old.has("lease_until") && !old.path("settling").path("BOOL").asBoolean(false);
        return new Leased(appliedOf(old), unsettled);
    }

    @Override
    public boolean settle(String customerUuid, String owner, Map<String, AppliedValue> applied, Instant holdUntil,
                          Deadline deadline) {
        ObjectNode names = Json.object();
        ObjectNode values = Json.object();
        values.set(":o", s(owner));
        StringBuilder set = new StringBuilder();
        int i = 0;
        for (Map.Entry<String, AppliedValue> e : applied.entrySet()) {
            names.put("#a" + i, ATTRIBUTE_PREFIX + e.getKey());
            values.set(":a" + i, toItem(e.getValue()));
            set.append(set.length() == 0 ? "SET " : ", ").append("#a").append(i).append(" = :a").append(i);
            i++;
        }
        String expression;
        if (holdUntil == null) {
            expression = set + " REMOVE lease_owner, lease_until";
        } else {
            values.set(":h", n(holdUntil.toEpochMilli()));
            values.set(":t", bool(true));
            expression = set + (set.length() == 0 ? "SET " : ", ") + "lease_until = :h, settling = :t";
        }
        return update(deadline, "customer#" + customerUuid, b -> {
            b.put("UpdateExpression", expression.trim());
            b.put("ConditionExpression", "lease_owner = :o");
            if (!names.isEmpty()) {
                b.set("ExpressionAttributeNames", names);
            }
            b.set("ExpressionAttributeValues", values);
        }) != null;
    }

    @Override
    public Map<String, AppliedValue> applied(String customerUuid, Deadline deadline) {
        return appliedOf(get("customer#" + customerUuid, deadline));
    }

    @Override
    public String resolution(String referenceId, Instant now, Deadline deadline) {
        return resolvedUuid(get("ref#" + referenceId, deadline), now);
    }

    /**
     * The lease is one conditional UpdateItem. When its condition fails, DynamoDB hands back the item it saw
     * ({@code ReturnValuesOnConditionCheckFailure}), which says whether the reference is resolved or being looked up;
     * an endpoint that leaves the item out (dynalite) is asked for it.
     */
    @Override
    public LookupStart startLookup(String referenceId, String owner, Instant now, Instant until, Deadline deadline) {
        ObjectNode request = request("ref#" + referenceId);
        request.put("UpdateExpression", "SET lookup_owner = :o, lookup_until = :u, expires_at = :e");
        request.put("ConditionExpression", "(attribute_not_exists(lookup_until) OR lookup_until < :now)"
                + " AND (attribute_not_exists(resolved_until) OR resolved_until <= :now)");
        ObjectNode v = request.putObject("ExpressionAttributeValues");
        v.set(":o", s(owner));
        v.set(":u", n(until.toEpochMilli()));
        v.set(":now", n(now.toEpochMilli()));
        v.set(":e", n(until.plus(Duration.ofDays(1)).getEpochSecond()));
        request.put("ReturnValuesOnConditionCheckFailure", "ALL_OLD");
        AwsReply r = dynamo().call("UpdateItem", request, bounded(deadline));
        if (r instanceof AwsReply.Refused refused && CONDITION_FAILED.equals(refused.code())) {
            JsonNode item = refused.item().isObject() ? refused.item() : get("ref#" + referenceId, deadline);
            String uuid = resolvedUuid(item, now);
            return uuid != null ? new LookupStart.Resolved(uuid) : new LookupStart.Busy();
        }
        answer(r);
        return new LookupStart.Taken();
    }

    /** The item's uuid while its resolution is good at {@code now}; else null. */
    private static String resolvedUuid(JsonNode item, Instant now) {
        String uuid = text(item, "uuid");
        String until = item.path("resolved_until").path("N").textValue();
        return uuid == null || until == null || Long.parseLong(until) <= now.toEpochMilli() ? null : uuid;
    }

    @Override
    public void resolved(String referenceId, String uuid, Instant until, Deadline deadline) {
        update(deadline, "ref#" + referenceId, b -> {
            b.put("UpdateExpression",
                    "SET #u = :u, resolved_until = :r, expires_at = :e REMOVE lookup_owner, lookup_until");
            b.putObject("ExpressionAttributeNames").put("#u", "uuid");
            ObjectNode v = b.putObject("ExpressionAttributeValues");
            v.set(":u", s(uuid));
            v.set(":r", n(until.toEpochMilli()));
            v.set(":e", n(until.plus(Duration.ofDays(1)).getEpochSecond()));
        });
    }

    @Override
    public void lookupEnded(String referenceId, String owner, Deadline deadline) {
        update(deadline, "ref#" + referenceId, b -> {
            b.put("UpdateExpression", "REMOVE lookup_owner, lookup_until");
            b.put("ConditionExpression", "lookup_owner = :o");
            b.putObject("ExpressionAttributeValues").set(":o", s(owner));
        });
    }

    @Override
    public void forget(String referenceId, Deadline deadline) {
        update(deadline, "ref#" + referenceId, b -> {
            b.put("UpdateExpression", "REMOVE #u, resolved_until");
            b.put("ConditionExpression", "attribute_exists(pk)");
            b.putObject("ExpressionAttributeNames").put("#u", "uuid");
        });
    }

    /** One conditional UpdateItem: its answer, or null when its condition failed. */
    private JsonNode update(Deadline deadline, String pk, Consumer<ObjectNode> how) {
        ObjectNode request = request(pk);
        how.accept(request);
        AwsReply r = dynamo().call("UpdateItem", request, bounded(deadline));
        if (r instanceof AwsReply.Refused refused && CONDITION_FAILED.equals(refused.code())) {
            return null;
        }
        return answer(r);
    }

    private JsonNode get(String pk, Deadline deadline) {
        ObjectNode request = request(pk);
        request.put("ConsistentRead", true);
        JsonNode item = answer(dynamo().call("GetItem", request, bounded(deadline))).path("Item");
        return item.isObject() ? item : Json.object();
    }

    private ObjectNode request(String pk) {
        ObjectNode request = Json.object();
        request.put("TableName", table);
        request.putObject("Key").set("pk", s(pk));
        return request;
    }

    private static JsonNode answer(AwsReply r) {
        if (r instanceof AwsReply.Answered a) {
            return a.body();
        }
        if (r instanceof AwsReply.Refused refused && "ResourceNotFoundException".equals(refused.code())) {
            throw new StateUnavailableException("the applied-state table named by RELAY_STATE_TABLE does not exist", 30);
        }
        throw unavailable(r);
    }

    private static StateUnavailableException unavailable(AwsReply r) {
        // the error code says enough; DynamoDB's message may name the table and request, never a secret
        boolean throttled = r instanceof AwsReply.Refused refused && (refused.throttling()
                || refused.code().contains("Throughput") || refused.code().contains("RequestLimit")
                || refused.code().contains("Throttl"));
        return new StateUnavailableException(throttled
                ? "DynamoDB throttled the applied-state table; nothing was written without the newest-wins guard"
                : "DynamoDB (the applied-state table) is unavailable (" + r.describe()
                + "); nothing was written without the newest-wins guard", throttled ? 2 : 5);
    }

    /** The call's whole time, retries included, within what the request has left. */
    private static Deadline bounded(Deadline deadline) {
        Duration left = deadline.remaining();
        if (left.toMillis() < 20) {
            throw new StateUnavailableException("no time left before the deadline to read the applied state", 2);
        }
        Clock clock = deadline.clock();
        return deadline.atMost(clock.instant().plus(MAX_CALL));
    }

    private AwsJsonClient dynamo() {
        AwsJsonClient c = built;
        if (c == null) {
            synchronized (this) {
                if (built == null) {
                    built = client.get();
                }
                c = built;
            }
        }
        return c;
    }

    private static Map<String, AppliedValue> appliedOf(JsonNode item) {
        Map<String, AppliedValue> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : item.properties()) {
            JsonNode m = e.getValue().path("M");
            if (e.getKey().startsWith(ATTRIBUTE_PREFIX) && m.isObject()) {
                out.put(e.getKey().substring(ATTRIBUTE_PREFIX.length()), fromItem(m));
            }
        }
        return out;
    }

    private static ObjectNode toItem(AppliedValue v) {
        ObjectNode m = Json.object();
        m.set("v", s(v.value()));
        m.set("ty", s(v.type()));
        m.set("t", n(v.newest().toEpochMilli()));
        if (v.eventId() != null) {
            m.set("id", s(v.eventId()));
        }
        m.set("et", n(v.eventTime().toEpochMilli()));
        if (v.integration() != null) {
            m.set("in", s(v.integration()));
        }
        m.set("w", n(v.writtenAt().toEpochMilli()));
        m.set("d", bool(v.inDoubt()));
        ObjectNode wrapped = Json.object();
        wrapped.set("M", m);
        return wrapped;
    }

    private static AppliedValue fromItem(JsonNode m) {
        return new AppliedValue(text(m, "v"), text(m, "ty"), time(m, "t"), text(m, "id"), time(m, "et"), text(m, "in"),
                time(m, "w"), m.path("d").path("BOOL").asBoolean(false));
    }

    private static String text(JsonNode m, String name) {
        return m.path(name).path("S").textValue();
    }

    /** N is text on the wire: parsed as the exact integer it is, never through a double. */
    private static Instant time(JsonNode m, String name) {
        String n = m.path(name).path("N").textValue();
        return n == null ? Instant.EPOCH : Instant.ofEpochMilli(Long.parseLong(n));
    }

    private static ObjectNode s(String v) {
        ObjectNode a = Json.object();
        a.put("S", v);
        return a;
    }

    private static ObjectNode n(long v) {
        ObjectNode a = Json.object();
        a.put("N", Long.toString(v));
        return a;
    }

    private static ObjectNode bool(boolean v) {
        ObjectNode a = Json.object();
        a.put("BOOL", v);
        return a;
    }
}
