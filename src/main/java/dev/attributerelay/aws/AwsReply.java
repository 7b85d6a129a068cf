package dev.attributerelay.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.Set;

/** What one AWS call came to: an answer, the service's refusal, or no answer at all. */
public sealed interface AwsReply permits AwsReply.Answered, AwsReply.Refused, AwsReply.NoAnswer {

    /** Worth another try: the same request may succeed a moment later. */
    boolean retryable();

    /** A short description for logs and errors: an error code or a cause, never a request or a credential. */
    String describe();

    /** A 2xx answer and its JSON body. */
    record Answered(JsonNode body) implements AwsReply {
        @Override
        public boolean retryable() {
            return false;
        }

        @Override
        public String describe() {
            return "answered";
        }
    }

    /**
     * The service answered with an error: its HTTP status, the error code ({@code __type} without its namespace,
     * e.g. {@code ConditionalCheckFailedException}) and message, and the item a failed condition saw when the call
     * asked for it ({@code ReturnValuesOnConditionCheckFailure}; missing otherwise).
     */
    record Refused(int status, String code, String message, JsonNode item) implements AwsReply {
        public Refused(int status, String code, String message) {
            this(status, code, message, MissingNode.getInstance());
        }

        /** The SDK's throttling codes (its standard retry mode treats these, and HTTP 429, as throttling). */
        private static final Set<String> THROTTLING = Set.of("Throttling", "ThrottlingException", "ThrottledException",
                "RequestThrottledException", "TooManyRequestsException", "ProvisionedThroughputExceededException",
                "TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
                "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
                "EC2ThrottledException");
        /** Transient faults the SDK retries besides throttling and 5xx. */
        private static final Set<String> TRANSIENT = Set.of("RequestTimeout", "RequestTimeoutException",
                "InternalServerError", "InternalFailure", "ServiceUnavailable");

        public boolean throttling() {
            return status == 429 || THROTTLING.contains(code);
        }

        @Override
        public boolean retryable() {
            return throttling() || status == 500 || status == 502 || status == 503 || status == 504
                    || TRANSIENT.contains(code);
        }

        @Override
        public String describe() {
            return code;
        }
    }

    /**
     * No usable answer: the connection failed or was cut, the time ran out ({@code timedOut}), the answer was not
     * JSON, or there were no credentials to sign with.
     */
    record NoAnswer(String cause, boolean timedOut, boolean retryable) implements AwsReply {
        @Override
        public String describe() {
            return cause;
        }
    }
}
