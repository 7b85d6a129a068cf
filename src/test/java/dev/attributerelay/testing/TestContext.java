package dev.attributerelay.testing;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;

/** A Lambda context with a fixed budget: Context is an interface with no wire behind it. */
public final class TestContext implements Context {
    private final long deadline;

    public TestContext(long budgetMillis) {
        this.deadline = System.currentTimeMillis() + budgetMillis;
    }

    @Override public String getAwsRequestId() { return "test-request"; }
    @Override public String getLogGroupName() { return "test"; }
    @Override public String getLogStreamName() { return "test"; }
    @Override public String getFunctionName() { return "attribute-relay"; }
    @Override public String getFunctionVersion() { return "$LATEST"; }
    @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:eu-west-1:123456789012:function:attribute-relay"; }
    @Override public CognitoIdentity getIdentity() { return null; }
    @Override public ClientContext getClientContext() { return null; }
    @Override public int getRemainingTimeInMillis() { return (int) Math.max(0, deadline - System.currentTimeMillis()); }
    @Override public int getMemoryLimitInMB() { return 512; }
    @Override public LambdaLogger getLogger() {
        return new LambdaLogger() {
            @Override public void log(String message) { System.out.println(message); }
            @Override public void log(byte[] message) { System.out.println(new String(message)); }
        };
    }
}
