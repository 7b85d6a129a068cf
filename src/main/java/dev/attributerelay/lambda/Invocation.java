package dev.attributerelay.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import dev.attributerelay.chartmogul.Deadline;
import java.time.Clock;
import java.time.Duration;

/** Per-invocation values the handlers derive from the Lambda context. */
final class Invocation {
    /** Time kept back to write the answer after the last ChartMogul call. */
    static final Duration RESERVE = Duration.ofMillis(1500);

    private Invocation() {
    }

    static Deadline deadline(Context context, Clock clock) {
        long remaining = context == null ? 30_000 : context.getRemainingTimeInMillis();
        return Deadline.in(Duration.ofMillis(Math.max(0, remaining - RESERVE.toMillis())), clock);
    }

    /** Lambda's request id for this invocation, which the event's log line carries; null without a context. */
    static String requestId(Context context) {
        return context == null ? null : context.getAwsRequestId();
    }
}
