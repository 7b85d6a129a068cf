package dev.attributerelay.state;

import dev.attributerelay.chartmogul.Deadline;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Applied state in the DynamoDB table RELAY_STATE_TABLE (template.yaml declares it: one string hash key {@code pk}).
 * As powertools' idempotency store does, every write is one conditional UpdateItem and a failed condition is an
 * answer (the lease is someone else's), not an error.
 *
 * <p>Items: {@code customer#<uuid>} holds the lease ({@code lease_owner}, {@code lease_until}, {@code settling})
 * and one map {@code a_<key>} per attribute; {@code ref#<sha-256 of the reference>} holds a resolution
 * ({@code uuid}, {@code resolved_until}) and a lookup lease. References are stored hashed: the table never holds a
 * customer's email. {@code expires_at} (epoch seconds) is the table's TTL attribute.
 */
public final class DynamoDbStore implements StateStore {
    /** How long a customer's applied state outlives its last write: past any provider's redelivery. */
    static final Duration KEEP = Duration.ofDays(400);
    /** The longest one DynamoDB call (its SDK retries included) may take, deadline permitting. */
    private static final Duration MAX_CALL = Duration.ofSeconds(3);
    private static final String ATTRIBUTE_PREFIX = "a_";

    private final Supplier<DynamoDbClient> client;
    private final String table;
    private volatile DynamoDbClient built;

    /** @param client built on first use, once: a cold start that never touches state pays nothing for it */
    public DynamoDbStore(Supplier<DynamoDbClient> client, String table) {
        this.client = client;
        this.table = table;
    }

    public String table() {
        return table;
    }

    @Override
    public Leased tryLease(String customerUuid, String owner, Instant now, Instant until, Deadline deadline) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":o", s(owner));
        values.put(":u", n(until.toEpochMilli()));
        values.put(":now", n(now.toEpochMilli()));
        values.put(":e", n(now.plus(KEEP).getEpochSecond()));
        UpdateItemResponse r = update(deadline, b -> b.key(key("customer#" + customerUuid))
                .updateExpression("SET lease_owner = :o, lease_until = :u, expires_at = :e REMOVE settling")
                .conditionExpression("attribute_not_exists(lease_until) OR lease_until < :now")
                .expressionAttributeValues(values)
                .returnValues(ReturnValue.ALL_OLD));
        if (r == null) {
            return null;
        }
        Map<String, AttributeValue> old = r.attributes() == null ? Map.of() : r.attributes();
        boolean unsettled = old.containsKey("lease_until")
                && !(old.containsKey("settling") && Boolean.TRUE.equals(old.get("settling").bool()));
        return new Leased(appliedOf(old), unsettled);
    }

    @Override
    public boolean settle(String customerUuid, String owner, Map<String, AppliedValue> applied, Instant holdUntil,
                          Deadline deadline) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":o", s(owner));
        StringBuilder set = new StringBuilder();
        int i = 0;
        for (Map.Entry<String, AppliedValue> e : applied.entrySet()) {
            names.put("#a" + i, ATTRIBUTE_PREFIX + e.getKey());
            values.put(":a" + i, AttributeValue.fromM(toItem(e.getValue())));
            set.append(set.length() == 0 ? "SET " : ", ").append("#a").append(i).append(" = :a").append(i);
            i++;
        }
        String expression;
        if (holdUntil == null) {
            expression = set + " REMOVE lease_owner, lease_until";
        } else {
            values.put(":h", n(holdUntil.toEpochMilli()));
            values.put(":t", AttributeValue.fromBool(true));
            expression = set + (set.length() == 0 ? "SET " : ", ") + "lease_until = :h, settling = :t";
        }
        UpdateItemResponse r = update(deadline, b -> b.key(key("customer#" + customerUuid))
                .updateExpression(expression.trim())
                .conditionExpression("lease_owner = :o")
                .expressionAttributeNames(names.isEmpty() ? null : names)
                .expressionAttributeValues(values));
        return r != null;
    }

    @Override
    public Map<String, AppliedValue> applied(String customerUuid, Deadline deadline) {
        return appliedOf(get("customer#" + customerUuid, deadline));
    }

    @Override
    public String resolution(String referenceId, Instant now, Deadline deadline) {
        Map<String, AttributeValue> item = get("ref#" + referenceId, deadline);
        AttributeValue uuid = item.get("uuid");
        AttributeValue until = item.get("resolved_until");
        return uuid == null || until == null || Long.parseLong(until.n()) <= now.toEpochMilli() ? null : uuid.s();
    }

    @Override
    public boolean tryLookup(String referenceId, String owner, Instant now, Instant until, Deadline deadline) {
        return update(deadline, b -> b.key(key("ref#" + referenceId))
                .updateExpression("SET lookup_owner = :o, lookup_until = :u, expires_at = :e")
                .conditionExpression("(attribute_not_exists(lookup_until) OR lookup_until < :now)"
                        + " AND (attribute_not_exists(resolved_until) OR resolved_until <= :now)")
                .expressionAttributeValues(Map.of(":o", s(owner), ":u", n(until.toEpochMilli()),
                        ":now", n(now.toEpochMilli()), ":e", n(until.plus(Duration.ofDays(1)).getEpochSecond()))))
                != null;
    }

    @Override
    public void resolved(String referenceId, String uuid, Instant until, Deadline deadline) {
        update(deadline, b -> b.key(key("ref#" + referenceId))
                .updateExpression("SET #u = :u, resolved_until = :r, expires_at = :e REMOVE lookup_owner, lookup_until")
                .expressionAttributeNames(Map.of("#u", "uuid"))
                .expressionAttributeValues(Map.of(":u", s(uuid), ":r", n(until.toEpochMilli()),
                        ":e", n(until.plus(Duration.ofDays(1)).getEpochSecond()))));
    }

    @Override
    public void lookupEnded(String referenceId, String owner, Deadline deadline) {
        update(deadline, b -> b.key(key("ref#" + referenceId))
                .updateExpression("REMOVE lookup_owner, lookup_until")
                .conditionExpression("lookup_owner = :o")
                .expressionAttributeValues(Map.of(":o", s(owner))));
    }

    @Override
    public void forget(String referenceId, Deadline deadline) {
        update(deadline, b -> b.key(key("ref#" + referenceId))
                .updateExpression("REMOVE #u, resolved_until")
                .conditionExpression("attribute_exists(pk)")
                .expressionAttributeNames(Map.of("#u", "uuid")));
    }

    /** One conditional UpdateItem; null when its condition failed. */
    private UpdateItemResponse update(Deadline deadline, java.util.function.Consumer<UpdateItemRequest.Builder> how) {
        UpdateItemRequest.Builder b = UpdateItemRequest.builder().tableName(table)
                .overrideConfiguration(timeout(deadline));
        how.accept(b);
        try {
            return dynamo().updateItem(b.build());
        } catch (ConditionalCheckFailedException e) {
            return null;
        } catch (ResourceNotFoundException e) {
            throw new StateUnavailableException("the applied-state table named by RELAY_STATE_TABLE does not exist", 30);
        } catch (SdkException e) {
            throw unavailable(e);
        }
    }

    private Map<String, AttributeValue> get(String pk, Deadline deadline) {
        try {
            GetItemResponse r = dynamo().getItem(b -> b.tableName(table).key(key(pk)).consistentRead(true)
                    .overrideConfiguration(timeout(deadline)));
            return r.hasItem() ? r.item() : Map.of();
        } catch (ResourceNotFoundException e) {
            throw new StateUnavailableException("the applied-state table named by RELAY_STATE_TABLE does not exist", 30);
        } catch (SdkException e) {
            throw unavailable(e);
        }
    }

    private static StateUnavailableException unavailable(SdkException e) {
        // the SDK's message may carry request ids and endpoints, not secrets; the class name says enough
        boolean throttled = e.getClass().getSimpleName().contains("Throughput")
                || e.getClass().getSimpleName().contains("RequestLimit")
                || e.getClass().getSimpleName().contains("Throttl");
        return new StateUnavailableException(throttled
                ? "DynamoDB throttled the applied-state table; nothing was written without the newest-wins guard"
                : "DynamoDB (the applied-state table) is unavailable (" + e.getClass().getSimpleName()
                + "); nothing was written without the newest-wins guard", throttled ? 2 : 5);
    }

    /** The call's whole time, SDK retries included, within what the request has left. */
    private static AwsRequestOverrideConfiguration timeout(Deadline deadline) {
        Duration left = deadline.remaining();
        if (left.toMillis() < 20) {
            throw new StateUnavailableException("no time left before the deadline to read the applied state", 2);
        }
        return AwsRequestOverrideConfiguration.builder()
                .apiCallTimeout(left.compareTo(MAX_CALL) < 0 ? left : MAX_CALL).build();
    }

    private DynamoDbClient dynamo() {
        DynamoDbClient c = built;
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

    private static Map<String, AppliedValue> appliedOf(Map<String, AttributeValue> item) {
        Map<String, AppliedValue> out = new LinkedHashMap<>();
        item.forEach((name, v) -> {
            if (name.startsWith(ATTRIBUTE_PREFIX) && v.hasM()) {
                out.put(name.substring(ATTRIBUTE_PREFIX.length()), fromItem(v.m()));
            }
        });
        return out;
    }

    private static Map<String, AttributeValue> toItem(AppliedValue v) {
        Map<String, AttributeValue> m = new HashMap<>();
        m.put("v", s(v.value()));
        m.put("ty", s(v.type()));
        m.put("t", n(v.newest().toEpochMilli()));
        if (v.eventId() != null) {
            m.put("id", s(v.eventId()));
        }
        m.put("et", n(v.eventTime().toEpochMilli()));
        if (v.integration() != null) {
            m.put("in", s(v.integration()));
        }
        m.put("w", n(v.writtenAt().toEpochMilli()));
        m.put("d", AttributeValue.fromBool(v.inDoubt()));
        return m;
    }

    private static AppliedValue fromItem(Map<String, AttributeValue> m) {
        return new AppliedValue(text(m, "v"), text(m, "ty"), time(m, "t"), text(m, "id"), time(m, "et"), text(m, "in"),
                time(m, "w"), m.containsKey("d") && Boolean.TRUE.equals(m.get("d").bool()));
    }

    private static String text(Map<String, AttributeValue> m, String name) {
        AttributeValue v = m.get(name);
        return v == null ? null : v.s();
    }

    private static Instant time(Map<String, AttributeValue> m, String name) {
        AttributeValue v = m.get(name);
        return v == null ? Instant.EPOCH : Instant.ofEpochMilli(Long.parseLong(v.n()));
    }

    private static Map<String, AttributeValue> key(String pk) {
        return Map.of("pk", s(pk));
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }
}
