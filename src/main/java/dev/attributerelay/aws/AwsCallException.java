package dev.attributerelay.aws;

/**
 * A call that did not end in an answer, for callers with no use for the distinction (the queue operations: every
 * failure there means "not done, try later"). The message names the operation and the error code or cause only.
 */
public final class AwsCallException extends RuntimeException {
    private final transient AwsReply reply;

    public AwsCallException(String operation, AwsReply reply) {
        super(operation + " failed (" + reply.describe() + ")");
        this.reply = reply;
    }

    public AwsReply reply() {
        return reply;
    }
}
