package dev.attributerelay.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.endpoints.DynamoDbEndpointProvider;
import software.amazon.awssdk.services.sqs.endpoints.SqsEndpointProvider;

/** Where calls go: the environment's endpoint, else the region's, by the partition's rule. */
class AwsEndpointsTest {

    /** The SDK's generated endpoint rules are the oracle: every region it knows, both services. */
    @Test
    void theRegionalEndpointIsTheOneTheSdksRulesGiveInEveryRegionItKnows() {
        List<Region> regions = Region.regions().stream().filter(r -> !r.isGlobalRegion()).toList();
        assertThat(regions).extracting(Region::id).contains("eu-west-1", "cn-north-1", "us-gov-west-1");
        for (Region r : regions) {
            URI dynamo = DynamoDbEndpointProvider.defaultProvider().resolveEndpoint(p -> p.region(r)).join().url();
            URI sqs = SqsEndpointProvider.defaultProvider().resolveEndpoint(p -> p.region(r)).join().url();
            assertThat(AwsEndpoints.regional(AwsService.DYNAMODB, r.id())).as(r.id()).isEqualTo(dynamo);
            assertThat(AwsEndpoints.regional(AwsService.SQS, r.id())).as(r.id()).isEqualTo(sqs);
        }
    }

    @Test
    void partitionsHaveTheirOwnSuffixes() {
        assertThat(AwsEndpoints.regional(AwsService.DYNAMODB, "eu-west-1"))
                .isEqualTo(URI.create("https://dynamodb.eu-west-1.amazonaws.com"));
        assertThat(AwsEndpoints.regional(AwsService.SQS, "cn-northwest-1"))
                .isEqualTo(URI.create("https://sqs.cn-northwest-1.amazonaws.com.cn"));
        assertThat(AwsEndpoints.regional(AwsService.SQS, "us-gov-east-1"))
                .isEqualTo(URI.create("https://sqs.us-gov-east-1.amazonaws.com"));
        assertThat(AwsEndpoints.regional(AwsService.DYNAMODB, "us-isob-east-1"))
                .isEqualTo(URI.create("https://dynamodb.us-isob-east-1.sc2s.sgov.gov"));
        assertThat(AwsEndpoints.regional(AwsService.DYNAMODB, "eusc-de-east-1"))
                .isEqualTo(URI.create("https://dynamodb.eusc-de-east-1.amazonaws.eu"));
    }

    @Test
    void theServicesOwnVariableWinsOverTheGeneralOneAndBlankCountsAsUnset() {
        Map<String, String> both = Map.of("AWS_ENDPOINT_URL_SQS", "http://127.0.0.1:9324",
                "AWS_ENDPOINT_URL", "http://127.0.0.1:4566");
        assertThat(AwsEndpoints.of(AwsService.SQS, "eu-west-1", both)).isEqualTo(URI.create("http://127.0.0.1:9324"));
        assertThat(AwsEndpoints.of(AwsService.DYNAMODB, "eu-west-1", both))
                .isEqualTo(URI.create("http://127.0.0.1:4566"));
        assertThat(AwsEndpoints.of(AwsService.DYNAMODB, "eu-west-1", Map.of("AWS_ENDPOINT_URL_DYNAMODB", " ")))
                .isEqualTo(URI.create("https://dynamodb.eu-west-1.amazonaws.com"));
    }

    @Test
    void anEndpointThatIsNotAnHttpUrlIsAConfigurationError() {
        assertThatThrownBy(() -> AwsEndpoints.of(AwsService.SQS, "eu-west-1",
                Map.of("AWS_ENDPOINT_URL_SQS", "sqs.eu-west-1.amazonaws.com")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("AWS_ENDPOINT_URL_SQS").hasMessageContaining("http(s) URL");
    }
}
