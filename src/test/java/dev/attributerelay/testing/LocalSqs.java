package dev.attributerelay.testing;

import dev.attributerelay.Wiring;
import dev.attributerelay.queue.Sqs;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * ElasticMQ, a real SQS server, embedded on 127.0.0.1 at a free port. The relay reaches it the way a deployed
 * function reaches SQS: {@code AWS_ENDPOINT_URL_SQS} in the environment map it is wired from ({@link #env()},
 * {@link #relayClient()}). The SDK's own client, which the tests use to set up and read queues independently of
 * the relay's, finds it through the system property {@code aws.endpointUrlSqs} (the SDK's twin of that variable).
 */
public final class LocalSqs implements AutoCloseable {
    /** The redrive limit of the queues made here: after this many failed receives a message moves to the DLQ. */
    public static final int MAX_RECEIVES = 2;

    private static LocalSqs shared;
    private static final AtomicInteger NAMES = new AtomicInteger();

    private final SQSRestServer server;
    private final URI endpoint;
    private final SqsClient client;
    private boolean stopped;

    public LocalSqs() {
        server = SQSRestServerBuilder.withInterface("127.0.0.1").withDynamicPort().withAWSRegion("eu-west-1").start();
        int port = server.waitUntilStarted().localAddress().getPort();
        endpoint = URI.create("http://127.0.0.1:" + port);
        // the SDK's default chains read these before the environment; a benchmark run outside Surefire has no env
        System.setProperty("aws.region", System.getProperty("aws.region", "eu-west-1"));
        System.setProperty("aws.accessKeyId", System.getProperty("aws.accessKeyId", "test"));
        System.setProperty("aws.secretAccessKey", System.getProperty("aws.secretAccessKey", "test"));
        useAsDefault();
        client = newClient();
    }

    /**
     * One server for the whole test JVM (its actor system takes seconds to start); tests keep apart by queue
     * names. It stops with the JVM.
     */
    public static synchronized LocalSqs shared() {
        if (shared == null || shared.stopped) {
            shared = new LocalSqs();
        }
        shared.useAsDefault();
        return shared;
    }

    /** Points clients built from now on (the SDK's default endpoint configuration) at this server. */
    public LocalSqs useAsDefault() {
        System.setProperty("aws.endpointUrlSqs", endpoint.toString());
        return this;
    }

    /** A queue name no other test in this JVM uses. */
    public static String uniqueName(String prefix) {
        return prefix + "-" + NAMES.incrementAndGet();
    }

    /** The environment a deployed function would have with this server as SQS's endpoint. */
    public Map<String, String> env() {
        return Map.of("AWS_ENDPOINT_URL_SQS", endpoint.toString(), "AWS_REGION", "eu-west-1",
                "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test");
    }

    /** The relay's own SQS client, built from {@link #env()} as Wiring builds it in Lambda. */
    public Sqs relayClient() {
        return Wiring.sqs(env());
    }

    /** A client built only from the SDK's default configuration: no endpoint override. */
    public static SqsClient newClient() {
        return SqsClient.builder().httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    public URI endpoint() {
        return endpoint;
    }

    public SqsClient client() {
        return client;
    }

    /** A FIFO queue whose failures move to its own FIFO dead-letter queue after {@link #MAX_RECEIVES} receives. */
    public Queues fifoWithDeadLetters(String name) {
        return fifoWithDeadLetters(name, MAX_RECEIVES, 30);
    }

    public Queues fifoWithDeadLetters(String name, int maxReceives, int visibilityTimeoutSeconds) {
        String dlq = client.createQueue(b -> b.queueName(name + "-dlq.fifo")
                .attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true"))).queueUrl();
        String dlqArn = client.getQueueAttributes(b -> b.queueUrl(dlq).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        String queue = client.createQueue(b -> b.queueName(name + ".fifo").attributes(Map.of(
                QueueAttributeName.FIFO_QUEUE, "true",
                QueueAttributeName.VISIBILITY_TIMEOUT, Integer.toString(visibilityTimeoutSeconds),
                QueueAttributeName.REDRIVE_POLICY,
                "{\"maxReceiveCount\":\"" + maxReceives + "\",\"deadLetterTargetArn\":\"" + dlqArn + "\"}"))).queueUrl();
        return new Queues(queue, dlq);
    }

    /** Visible, in flight, and delayed messages, as SQS counts them. */
    public int count(String queueUrl, QueueAttributeName which) {
        return Integer.parseInt(client.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(which))
                .attributes().get(which));
    }

    public int visible(String queueUrl) {
        return count(queueUrl, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES);
    }

    public int inFlight(String queueUrl) {
        return count(queueUrl, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE);
    }

    /**
     * Messages not yet deleted: visible, in flight and delayed, read in one call. Two calls (visible, then in
     * flight) can both miss a message whose visibility timeout ends between them.
     */
    public int pending(String queueUrl) {
        Map<QueueAttributeName, String> a = client.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
        return a.values().stream().mapToInt(Integer::parseInt).sum();
    }

    /** Stops the server (the "queue unavailable" fault); the clients stay, and fail to connect. */
    public void stop() {
        if (!stopped) {
            stopped = true;
            server.stopAndWait();
        }
    }

    @Override
    public void close() {
        stop();
        client.close();
        if (shared != null && shared != this && !shared.stopped) {
            shared.useAsDefault();
        } else {
            System.clearProperty("aws.endpointUrlSqs");
        }
    }

    public record Queues(String url, String deadLetterUrl) {
    }
}
