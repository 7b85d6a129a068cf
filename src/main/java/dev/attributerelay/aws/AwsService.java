package dev.attributerelay.aws;

/**
 * An AWS service as its JSON protocol names it: the SigV4 signing name, the {@code X-Amz-Target} prefix and content
 * type, the first label of its regional host name, and the environment variable that overrides its endpoint (the
 * same one the SDK reads, so a deployment configured for the SDK reaches the same place).
 */
public record AwsService(String signingName, String targetPrefix, String contentType, String hostPrefix,
                         String endpointVariable) {

    public static final AwsService DYNAMODB = new AwsService("dynamodb", "DynamoDB_20120810",
            "application/x-amz-json-1.0", "dynamodb", "AWS_ENDPOINT_URL_DYNAMODB");

    /** SQS answers the JSON protocol at its service endpoint; the queue URL goes in the body. */
    public static final AwsService SQS = new AwsService("sqs", "AmazonSQS", "application/x-amz-json-1.0", "sqs",
            "AWS_ENDPOINT_URL_SQS");
}
